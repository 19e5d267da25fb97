// Calls the document does not allow. Each line must be a type error: if the wrapper's types ever
// degrade to `any`, the `@ts-expect-error` directives become unused and the check fails.

import { api, upload } from "./wx-api";

export async function refused(): Promise<void> {
  // @ts-expect-error wx.request cannot send PATCH
  await api("patch", "/api/v1/me", { body: {} });
  // @ts-expect-error the document has no DELETE /api/v1/jobs
  await api("delete", "/api/v1/jobs", {});
  // @ts-expect-error no such path
  await api("get", "/api/v1/job", {});
  // @ts-expect-error job_id is a required path parameter
  await api("get", "/api/v1/jobs/{job_id}", {});
  // @ts-expect-error the login body has `code`, not `js_code`
  await api("post", "/api/v1/auth/wechat/login", { body: { js_code: "x" } });
  // @ts-expect-error unknown query parameter
  await api("get", "/api/v1/jobs", { query: { keyword: "快递员" } });
  const page = await api("get", "/api/v1/jobs", {});
  // @ts-expect-error a job card has `title`, and it is a string
  const count: number = page.items[0]?.title;
  void count;
  // @ts-expect-error uploads go to a multipart operation
  await upload("/api/v1/jobs", "file", "wxfile://tmp", {});
  // @ts-expect-error the upload purpose is one of the document's values
  await upload("/api/v1/files", "file", "wxfile://tmp", { purpose: "selfie" });
}
