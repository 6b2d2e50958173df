// Renders resources/icon.svg to resources/icon.png (512x512), the icon electron-builder packages.
import sharp from 'sharp';

await sharp('resources/icon.svg', { density: 144 }).resize(512, 512).png({ compressionLevel: 9 }).toFile('resources/icon.png');
console.log('wrote resources/icon.png');
