/** Process entry of the bundled server (dist/server.js) that the VS Code client starts over IPC. */
import { startServer } from './server';

startServer();
