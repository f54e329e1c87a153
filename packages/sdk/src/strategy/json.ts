/** JSON-serializable values: what `ctx.state` and `ctx.emit` accept. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
