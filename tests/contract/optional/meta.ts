// The bootstrap call. Compiled by the contract test only when the document has GET /api/v1/meta
// (tests/contract/test_typescript_client.py adds this file then); once the path exists this
// file must keep compiling.

import { conditionalGet, type Ok } from "../src/wx-api";

export type Meta = Ok<"/api/v1/meta", "get">;

type Stored = { etag: string; meta: Meta };
const STORAGE_KEY = "api-meta";

/** Labels, taxonomies, limits: read once at launch, revalidated with the stored ETag. */
export async function loadMeta(): Promise<Meta> {
  const stored = wx.getStorageSync<Stored | "">(STORAGE_KEY) || null;
  const answer = await conditionalGet("/api/v1/meta", {}, stored?.etag ?? null);
  if (answer.notModified && stored) return stored.meta;
  if (answer.notModified) throw new Error("304 without a stored copy");
  if (answer.etag) wx.setStorageSync<Stored>(STORAGE_KEY, { etag: answer.etag, meta: answer.data });
  return answer.data;
}
