// The calls a mini-program page makes, written the way the mini-program team writes them.
// tests/contract/test_typescript_client.py type-checks this file against openapi/openapi.json:
// a renamed path, parameter or field, a changed method, or a body that no longer fits fails it.

import { api, ApiError, setAccessToken, upload, type JsonBody, type Ok, type QueryParams } from "./wx-api";

// ---- login (wx.login → our tokens) ----------------------------------------------------------

export type Session = { accessToken: string; refreshToken: string; expiresIn: number };

export async function login(): Promise<Session> {
  const { code } = await new Promise<WechatMiniprogram.LoginSuccessCallbackResult>((resolve, reject) =>
    wx.login({ success: resolve, fail: reject }),
  );
  const result = await api("post", "/api/v1/auth/wechat/login", { body: { code } });
  setAccessToken(result.access_token);
  return { accessToken: result.access_token, refreshToken: result.refresh_token, expiresIn: result.expires_in };
}

// ---- jobs ----------------------------------------------------------------------------------

export type JobSearch = QueryParams<"/api/v1/jobs", "get">;
export type JobPage = Ok<"/api/v1/jobs", "get">;
export type JobCard = JobPage["items"][number];

/** One page of search results and the cursor for the next one (null on the last page). */
export async function searchJobs(filters: JobSearch): Promise<{ jobs: JobCard[]; next: string | null }> {
  const page = await api("get", "/api/v1/jobs", { query: { limit: 20, ...filters } });
  return { jobs: page.items, next: page.next_cursor ?? null };
}

export function nearbyCourierJobs(lat: number, lng: number): Promise<{ jobs: JobCard[]; next: string | null }> {
  return searchJobs({ q: "快递员", lat, lng, radius_km: 10, sort: "distance" });
}

export function jobTitle(job: JobCard): string {
  return `${job.title} · ${job.employer_name}`;
}

export function jobDetail(jobId: string): Promise<Ok<"/api/v1/jobs/{job_id}", "get">> {
  return api("get", "/api/v1/jobs/{job_id}", { path: { job_id: jobId } });
}

/** Apply once: a retry with the same key returns the first application instead of a second. */
export async function apply(jobId: string, idempotencyKey: string): Promise<{ id: string; status: string }> {
  const application = await api("post", "/api/v1/jobs/{job_id}/applications", {
    path: { job_id: jobId },
    header: { "Idempotency-Key": idempotencyKey },
  });
  return { id: application.id, status: application.status };
}

// ---- gigs ----------------------------------------------------------------------------------

export type GigMatchPage = Ok<"/api/v1/me/gig-matches", "get">;

export function myGigMatches(cursor?: string): Promise<GigMatchPage> {
  return api("get", "/api/v1/me/gig-matches", { query: { cursor, limit: 20 } });
}

export function gigMatches(gigId: string): Promise<Ok<"/api/v1/gigs/{gig_id}/matches", "get">> {
  return api("get", "/api/v1/gigs/{gig_id}/matches", { path: { gig_id: gigId } });
}

export async function gigMatchReasons(cursor?: string): Promise<string[]> {
  const page = await myGigMatches(cursor);
  return page.items.map((match) => match.reason_text);
}

// ---- subsidies -----------------------------------------------------------------------------

export type Evaluation = JsonBody<"/api/v1/policies/evaluate", "post">;

export function evaluatePolicies(request: Evaluation): Promise<Ok<"/api/v1/policies/evaluate", "post">> {
  return api("post", "/api/v1/policies/evaluate", { body: request });
}

export type SubsidyClaim = JsonBody<"/api/v1/subsidy-applications", "post">;

export async function submitSubsidy(
  claim: SubsidyClaim,
  idempotencyKey: string,
): Promise<{ id: string; status: string }> {
  const created = await api("post", "/api/v1/subsidy-applications", {
    body: claim,
    header: { "Idempotency-Key": idempotencyKey },
  });
  return { id: created.id, status: created.status };
}

// ---- station appointments --------------------------------------------------------------------

export async function bookAppointment(
  slotId: string,
  note: string | null,
  idempotencyKey: string,
): Promise<{ id: string; startsAt: string }> {
  const appointment = await api("post", "/api/v1/appointments", {
    body: { slot_id: slotId, note },
    header: { "Idempotency-Key": idempotencyKey },
  });
  return { id: appointment.id, startsAt: appointment.starts_at };
}

// ---- avatar (chooseAvatar → upload) ----------------------------------------------------------

/** `<button open-type="chooseAvatar">` gives a temporary file path; upload it as an avatar. */
export async function uploadAvatar(tempFilePath: string): Promise<string> {
  const file = await upload("/api/v1/files", "file", tempFilePath, { purpose: "avatar" });
  return file.id;
}

// ---- errors --------------------------------------------------------------------------------

/** What a page shows when a call fails: the API's Chinese message, or a network hint. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.statusCode === 0 ? "网络不可用，请稍后重试" : error.message;
  return "出错了，请稍后重试";
}
