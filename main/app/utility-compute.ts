/** Compute process as an Electron utilityProcess (a Node child that Electron manages and sandboxes from the UI). */
import { utilityProcess } from 'electron';
import type { FromCompute, StartCompute } from '../compute/protocol';

export function forkUtilityCompute(entry: string): StartCompute {
  return (handlers) => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Vessel Studio compute', stdio: 'inherit' });
    child.on('message', (m) => handlers.message(m as FromCompute));
    child.on('exit', (code) => handlers.exit(`exit code ${code}`));
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.postMessage(message),
      kill: () => {
        child.kill();
      },
    };
  };
}
