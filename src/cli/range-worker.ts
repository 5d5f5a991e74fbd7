// The worker threads' entry (a bundle of its own, holding only the parser and
// the store, so a thread starts without compiling the whole command line).

import { runRangeWorker } from './range-workers';

runRangeWorker();
