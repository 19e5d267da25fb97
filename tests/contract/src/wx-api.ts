// A typed wrapper over wx.request / wx.uploadFile, driven by the types openapi-typescript
// generates from openapi/openapi.json.
//
// Every type here is derived from the document's *paths* (path string, HTTP method, parameter
// names, request and response bodies), never from component schema names or operation ids,
// so renaming schemas or operations in the document does not break a caller.

import type { paths } from "@api/schema";

// ---- what the document says about one operation ------------------------------------------

/** The HTTP methods wx.request can send (from the official typings; there is no PATCH). */
export type WxMethod = NonNullable<WechatMiniprogram.RequestOption["method"]>;

/** Lower-case method keys of the generated `paths` that wx.request can send. */
export type Method = Lowercase<WxMethod> & ("get" | "put" | "post" | "delete" | "head" | "options" | "trace");

export type Path = keyof paths;

/** The methods the document declares for `P` that wx.request can send. */
export type MethodOf<P extends Path> = {
  [M in Method]: M extends keyof paths[P] ? (undefined extends paths[P][M] ? never : M) : never;
}[Method];

/** The operation object for `method path`. */
export type Operation<P extends Path, M extends MethodOf<P>> = NonNullable<paths[P][M]>;

type Params<P extends Path, M extends MethodOf<P>> =
  Operation<P, M> extends { parameters: infer X } ? X : never;

/** Path parameters (`{job_id}` …), or `never` when the path has none. */
export type PathParams<P extends Path, M extends MethodOf<P>> =
  Params<P, M> extends { path?: infer X } ? NonNullable<X> : never;

/** Query parameters, or `never` when the operation has none. */
export type QueryParams<P extends Path, M extends MethodOf<P>> =
  Params<P, M> extends { query?: infer X } ? NonNullable<X> : never;

/** Request headers the document declares (e.g. `Idempotency-Key`), or `never`. */
export type HeaderParams<P extends Path, M extends MethodOf<P>> =
  Params<P, M> extends { header?: infer X } ? NonNullable<X> : never;

type Content<R, Type extends string> = R extends { content: infer C }
  ? Type extends keyof C
    ? C[Type]
    : never
  : never;

/** The JSON request body, or `never` when the operation takes none. */
export type JsonBody<P extends Path, M extends MethodOf<P>> = Content<
  NonNullable<Operation<P, M> extends { requestBody?: infer B } ? B : never>,
  "application/json"
>;

/** The multipart form fields (file upload), or `never`. */
export type FormBody<P extends Path, M extends MethodOf<P>> = Content<
  NonNullable<Operation<P, M> extends { requestBody?: infer B } ? B : never>,
  "multipart/form-data"
>;

type Responses<P extends Path, M extends MethodOf<P>> = Operation<P, M>["responses"];

type SuccessStatus = 200 | 201 | 202 | 204;

/** The JSON body of every 2xx response of the operation (a union when there are several). */
export type Ok<P extends Path, M extends MethodOf<P>> = {
  [S in keyof Responses<P, M>]: S extends SuccessStatus
    ? Content<Responses<P, M>[S], "application/json">
    : never;
}[keyof Responses<P, M>];

/** The error envelope of the operation's 4XX responses. */
export type ErrorBody<P extends Path, M extends MethodOf<P>> =
  "4XX" extends keyof Responses<P, M> ? Content<Responses<P, M>["4XX"], "application/json"> : never;

/** What a caller passes: each part is required exactly when the document requires it. */
export type CallInit<P extends Path, M extends MethodOf<P>> = ([PathParams<P, M>] extends [never]
  ? { path?: undefined }
  : { path: PathParams<P, M> }) &
  ([QueryParams<P, M>] extends [never] ? { query?: undefined } : { query?: QueryParams<P, M> }) &
  ([HeaderParams<P, M>] extends [never] ? { header?: undefined } : { header?: HeaderParams<P, M> }) &
  ([JsonBody<P, M>] extends [never] ? { body?: undefined } : { body: JsonBody<P, M> });

// ---- configuration ------------------------------------------------------------------------

let baseUrl = "https://api.example.invalid";
let accessToken: string | null = null;

export function configure(options: { baseUrl: string }): void {
  baseUrl = options.baseUrl.replace(/\/+$/, "");
}

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

// ---- the error a caller sees ------------------------------------------------------------

/** A non-2xx answer: `code` and the Chinese `message` come from the API's error envelope. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
    readonly details: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Envelope = ErrorBody<"/api/v1/jobs", "get">;

function toApiError(statusCode: number, data: unknown): ApiError {
  const envelope = (typeof data === "string" ? safeJson(data) : data) as Partial<Envelope> | null;
  return new ApiError(
    statusCode,
    envelope?.code ?? "http_error",
    envelope?.message ?? `请求失败（${statusCode}）`,
    envelope?.request_id ?? null,
    envelope?.details ?? null,
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// ---- URL building -------------------------------------------------------------------------

type Scalar = string | number | boolean;

function fillPath(template: string, params: Record<string, Scalar> | undefined): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: Record<string, Scalar | Scalar[] | null | undefined> | undefined): string {
  if (!query) return "";
  const parts: string[] = [];
  for (const [key, raw] of Object.entries(query)) {
    if (raw === undefined || raw === null) continue;
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
    }
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

function headers(extra: object | undefined): Record<string, string> {
  const result: Record<string, string> = { ...(extra as Record<string, string> | undefined) };
  if (accessToken) result["Authorization"] = `Bearer ${accessToken}`;
  return result;
}

// ---- the calls ----------------------------------------------------------------------------

/**
 * `api("post", "/api/v1/jobs/{job_id}/applications", { path: { job_id } })`: the method must be
 * one the document declares for that path (and one wx.request can send); path, query, headers
 * and body are checked against the document; the promise resolves to the 2xx body type.
 */
export function api<P extends Path, M extends MethodOf<P>>(
  method: M,
  path: P,
  init: CallInit<P, M>,
): Promise<Ok<P, M>> {
  const url =
    baseUrl +
    fillPath(path, init.path as Record<string, Scalar> | undefined) +
    queryString(init.query as Record<string, Scalar | Scalar[]> | undefined);
  return new Promise((resolve, reject) => {
    wx.request({
      url,
      method: method.toUpperCase() as WxMethod,
      header: { "content-type": "application/json", ...headers(init.header) },
      ...(init.body === undefined ? {} : { data: init.body as WechatMiniprogram.IAnyObject }),
      dataType: "json",
      success(res) {
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(res.data as Ok<P, M>);
        else reject(toApiError(res.statusCode, res.data));
      },
      fail(err) {
        reject(new ApiError(0, "network_error", err.errMsg, null, null));
      },
    });
  });
}

/** A cached GET answer: `notModified` when the server answered 304 to our `If-None-Match`. */
export type Conditional<T> = { notModified: true } | { notModified: false; data: T; etag: string | null };

/**
 * GET with `If-None-Match` (the bootstrap call `/api/v1/meta` answers 304 while its ETag holds):
 * keep the last body and its ETag in storage and pass the ETag back.
 */
export function conditionalGet<P extends Path & { [K in Path]: "get" extends MethodOf<K> ? K : never }[Path]>(
  path: P,
  init: CallInit<P, "get" & MethodOf<P>>,
  etag: string | null,
): Promise<Conditional<Ok<P, "get" & MethodOf<P>>>> {
  const url =
    baseUrl +
    fillPath(path, init.path as Record<string, Scalar> | undefined) +
    queryString(init.query as Record<string, Scalar | Scalar[]> | undefined);
  const extra: Record<string, string> = etag ? { "If-None-Match": etag } : {};
  return new Promise((resolve, reject) => {
    wx.request({
      url,
      method: "GET",
      header: { ...headers(init.header), ...extra },
      dataType: "json",
      success(res) {
        const header = res.header as Record<string, string | undefined>;
        if (res.statusCode === 304) resolve({ notModified: true });
        else if (res.statusCode >= 200 && res.statusCode < 300)
          resolve({
            notModified: false,
            data: res.data as Ok<P, "get" & MethodOf<P>>,
            etag: header["ETag"] ?? header["etag"] ?? null,
          });
        else reject(toApiError(res.statusCode, res.data));
      },
      fail(err) {
        reject(new ApiError(0, "network_error", err.errMsg, null, null));
      },
    });
  });
}

/**
 * `wx.uploadFile` to a multipart operation: `fileField` must be a form field of the document's
 * request body; the other fields go in `formData`, typed from the same body.
 */
export type UploadPath = {
  [K in Path]: "post" extends MethodOf<K> ? ([FormBody<K, "post" & MethodOf<K>>] extends [never] ? never : K) : never;
}[Path];

export function upload<P extends UploadPath, F extends keyof FormBody<P, "post" & MethodOf<P>> & string>(
  path: P,
  fileField: F,
  filePath: string,
  formData: Omit<FormBody<P, "post" & MethodOf<P>>, F>,
): Promise<Ok<P, "post" & MethodOf<P>>> {
  return new Promise((resolve, reject) => {
    wx.uploadFile({
      url: baseUrl + path,
      name: fileField,
      filePath,
      formData: formData as WechatMiniprogram.IAnyObject,
      header: headers(undefined),
      success(res) {
        const data = safeJson(res.data);
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(data as Ok<P, "post" & MethodOf<P>>);
        else reject(toApiError(res.statusCode, data));
      },
      fail(err) {
        reject(new ApiError(0, "network_error", err.errMsg, null, null));
      },
    });
  });
}
