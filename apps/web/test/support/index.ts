export * from "./portal";
export * from "./clients";
