/** "missing" when there is no build, "stale" when a source changed since it was made, else "fresh". */
export declare function buildState(): "missing" | "stale" | "fresh";
