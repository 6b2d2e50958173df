/** Compute process as a forked Node process: the browser shell, the CLI and the tests. */
import { fork } from 'node:child_process';
import type { FromCompute, StartCompute } from './protocol';

export interface NodeComputeOptions {
  /** compute-process entry: dist/main/compute-process.js, or the .ts source with execArgv ['--import', 'tsx']. */
  entry: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

export function forkNodeCompute(options: NodeComputeOptions): StartCompute {
  return (handlers) => {
    const child = fork(options.entry, [], {
      serialization: 'advanced',
      execArgv: options.execArgv ?? [],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (m) => handlers.message(m as FromCompute));
    child.on('exit', (code, signal) => handlers.exit(signal ? `signal ${signal}` : `exit code ${code}`));
    // A process that never started emits 'error' but no 'exit'; one that did start reports through 'exit'.
    child.on('error', (e) => {
      if (child.pid === undefined) handlers.exit(`could not start (${e.message})`);
    });
    return {
      pid: child.pid,
      send: (message) => {
        if (child.connected) child.send(message);
      },
      kill: () => {
        child.kill('SIGKILL');
      },
    };
  };
}
