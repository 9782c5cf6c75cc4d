// Limits shared by the server and its clients. Pure constants: safe in a browser bundle.

/** Calls in one HTTP request that may share it; larger tRPC batches are refused with a 400. */
export const MAX_BATCH_SIZE = 10;
