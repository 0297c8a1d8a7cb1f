// The states of a task in the control word the main thread and the worker share.

/** A task's state in the shared control word: the main thread sets PENDING, the worker RUNNING then DONE or FAILED. */
export const PENDING = 0;
export const RUNNING = 1;
export const DONE = 2;
export const FAILED = 3;
/** Set by the main thread instead of RUNNING when it gave up waiting for the worker to start. */
export const CANCELLED = 4;
