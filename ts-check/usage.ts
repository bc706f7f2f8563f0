// What a TypeScript consumer writes against the types that openapi-typescript
// generates from the published spec (dist/xink.yaml). `make test-xlang`
// regenerates ../dist/ts/xink.ts and runs `tsc --noEmit` on this file: the
// positive lines must compile and every `@ts-expect-error` line must still be
// an error, so a spec change that loosens or breaks the types fails the check.
import type { components, operations, paths } from "../dist/ts/xink";

type Schemas = components["schemas"];
type Json<Op extends keyof operations, Status extends keyof operations[Op]["responses"]> =
  operations[Op]["responses"][Status] extends { content: { "application/json": infer B } } ? B : never;

export type Employee = Schemas["Employee"];
export type EmployeeList = Json<"listEmployees", 200>;
export type Discovery = Json<"getDiscovery", 200>;
export type Token = Json<"getToken", 200>;
export type FieldValues = Json<"getEmployeeFields", 200>;
export type Signatures = Json<"getEmployeeSignatures", 200>;
export type ErrorReply = Json<"listEmployees", 403>;

// The routes are keys of `paths`, with the operation under its method.
export type ListRoute = paths["/api/1.0/employee/list"]["get"];
const listIsTheOperation: ListRoute extends operations["listEmployees"] ? true : false = true;
export { listIsTheOperation };

/** Get a token with client credentials: form-encoded, as the spec says. */
export async function getToken(authURL: string, clientID: string, secret: string, scope: string): Promise<Token> {
  const form: operations["getToken"]["requestBody"]["content"]["application/x-www-form-urlencoded"] = {
    grant_type: "client_credentials",
    client_id: clientID,
    client_secret: secret,
    scope,
  };
  const res = await fetch(`${authURL}/OAuth/Token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(Object.entries(form).filter((kv): kv is [string, string] => typeof kv[1] === "string")),
  });
  if (!res.ok) throw new Error(`token: HTTP ${res.status}`);
  return (await res.json()) as Token;
}

/** Discovery, then the first page of employees on the account's APIRoot. */
export async function listEmployeeEmails(authURL: string, token: Token): Promise<string[]> {
  const auth = { Authorization: `Bearer ${token.access_token}` };
  const disc = (await (await fetch(`${authURL}/Discovery`, { headers: auth })).json()) as Discovery;
  if (!disc.APIRoot) throw new Error("discovery: no APIRoot");
  const res = await fetch(`${disc.APIRoot}/api/1.0/employee/list`, { headers: auth });
  if (res.status === 403) {
    const e = (await res.json()) as ErrorReply;
    throw new Error(`list: forbidden: ${e.Error ?? "(no message)"}`);
  }
  const list = (await res.json()) as EmployeeList;
  // Employees may be absent; Email is required on each; FirstName may be null.
  return (list.Employees ?? []).map((e: Employee) => `${e.Email} (${e.FirstName ?? "?"})`);
}

/** Path parameters are typed per operation. */
export function fieldsURL(apiRoot: string, p: operations["getEmployeeFields"]["parameters"]["path"]): string {
  return `${apiRoot}/api/1.0/employee/${encodeURIComponent(p.email)}/fields`;
}

export function fieldValue(f: FieldValues, name: string): string | null | undefined {
  return f.Fields?.find((v) => v.Name === name)?.Value;
}

export function signatureCount(s: Signatures): number {
  return s.Signatures?.length ?? 0;
}

// A response body as the spec's example shows it type-checks as that type.
export const sample: EmployeeList = {
  Success: true,
  Total: 1,
  Offset: 0,
  Limit: 500,
  Employees: [{ Email: "zoe.ostergaard@example.com", FirstName: "Zoë", LastName: null }],
};

// The types are real, not `any`: each line below must be rejected by tsc.
// @ts-expect-error Email is required on Employee
export const noEmail: Employee = { FirstName: "x" };
// @ts-expect-error Email is a string
export const numericEmail: Employee = { Email: 42 };
// @ts-expect-error Success is required on every /api/1.0 reply
export const noSuccess: EmployeeList = { Employees: [] };
// @ts-expect-error the employee path needs `email`
export const noEmailParam = fieldsURL("https://e-eu.xink.io", {});
// @ts-expect-error there is no such operation
export type Missing = operations["listEmployeesV2"];
// @ts-expect-error grant_type is the one literal client_credentials
export const badGrant: operations["getToken"]["requestBody"]["content"]["application/x-www-form-urlencoded"] = { grant_type: "password" };
