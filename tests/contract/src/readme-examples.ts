// The request bodies README.md shows (and the examples it points to in /docs), typed against
// the document. The contract test also compiles every JSON example found in README.md and in
// the document's request bodies (generated at test time); these are the ones a page copies.

import type { JsonBody } from "./wx-api";

/** README "Trying it from /docs", step 1: the demo login. */
export const demoLogin = { code: "demo:demo-gig-worker-0" } as const satisfies JsonBody<
  "/api/v1/auth/wechat/login",
  "post"
>;

/** README: `POST /api/v1/demo/wechat-code` mints a one-time code like a real wx.login(). */
export const demoWechatCode = { openid: "demo-subsidy-graduate" } as const satisfies JsonBody<
  "/api/v1/demo/wechat-code",
  "post"
>;

/** README: the subsidy calculator's graduate example (POST /api/v1/policies/evaluate). */
export const evaluateGraduate = {
  on: "2025-09-01",
  person: {
    birth_date: "2002-05-10",
    is_college_graduate: true,
    left_school_on: "2024-07-01",
    unemployed_since_leaving_school: true,
    employments: [
      {
        start_date: "2025-01-15",
        contract_months: 36,
        insured_months: 7,
        employer_in_district: true,
        employer_is_sme: true,
      },
    ],
  },
} as const satisfies JsonBody<"/api/v1/policies/evaluate", "post">;

/** README: the subsidy calculator's HR agency example. */
export const evaluateHrAgency = {
  on: "2025-09-01",
  organisation: {
    kind: "hr_agency",
    referral_year: 2025,
    referrals: [
      {
        person_key: "p-0001",
        contract_signed_on: "2025-03-01",
        contract_months: 12,
        first_labour_contract: true,
        industrial_worker: true,
        insured_months: 4,
        insured_months_continuous: 4,
        employer_in_district: true,
      },
    ],
  },
} as const satisfies JsonBody<"/api/v1/policies/evaluate", "post">;
