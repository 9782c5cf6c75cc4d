export * from "./portal";
export * from "./clients";
export * from "./smtp";
