export * from "./portal";
export * from "./clients";
export * from "./smtp";
export * from "./oidc";
