// Golden fixtures for the Query protocol: every action, flattened inputs, GET, queue-path
// addressing, XML results and ErrorResponse documents (fixtures/query).
import { goldenSuite } from './golden.js';

goldenSuite('query');
