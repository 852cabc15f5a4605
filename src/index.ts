// Library entry: start a Pier server in-process (tests, embedding).
export { startServer, type PierServer } from './server.js';
export { defaults as defaultConfig, loadConfig, type Config } from './config/config.js';
export { startPier, type StartPierOptions, type StartedPier } from './start-pier.js';
