// Runs the store contract against the in-memory reference engine.
import { MemoryStore } from '../../src/storage/memory/memory-store.js';
import { storeContract } from './contract.js';

storeContract('memory', async () => ({ store: new MemoryStore(), cleanup: async () => {} }));
