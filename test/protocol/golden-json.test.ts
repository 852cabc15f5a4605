// Golden fixtures for the AWS JSON 1.0 protocol: every action, results and errors (fixtures/json).
import { goldenSuite } from './golden.js';

goldenSuite('json');
