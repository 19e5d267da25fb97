"""The Chinese label of every code the API answers with, one dictionary per enum.

The mini-program shows ``labels[enum][code]`` next to (or instead of) a code; a test walks the
OpenAPI document and fails when an enum of a response has no dictionary here that covers it.
Labels of the taxonomy's own enums come from :mod:`app.taxonomy.enums`.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from app.people_ledger.codes import (
    CATEGORY_LABELS,
    FOLLOW_UP_LABELS,
    IMPORT_STATUS_LABELS,
    STATUS_LABELS,
)
from app.taxonomy import EducationLevel, JobType, PayUnit, SkillLevel

_PAY_UNIT_NAMES = {"month": "月", "day": "天", "hour": "小时", "piece": "件"}

LABELS: Final = MappingProxyType(
    {
        # Jobs and employers
        "job_status": {
            "pending_review": "待审核",
            "published": "招聘中",
            "rejected": "未通过审核",
            "closed": "已关闭",
        },
        "job_type": {t.value: t.label for t in JobType},
        "salary_unit": {u.value: _PAY_UNIT_NAMES[u.value] for u in PayUnit},
        "education": {e.value: e.label for e in EducationLevel},
        "moderation_outcome": {
            "published": "已发布",
            "pending_review": "待人工审核",
            "rejected": "未通过",
        },
        "moderation_severity": {"refuse": "禁止发布", "review": "需人工审核"},
        "wechat_suggest": {"pass": "通过", "review": "疑似", "risky": "违规"},
        "employer_kind": {
            "enterprise": "企业",
            "hr_agency": "人力资源服务机构",
            "individual_business": "个体工商户",
            "public_institution": "事业单位",
            "state_owned": "国有企业",
        },
        "employer_size": {"micro": "微型", "small": "小型", "medium": "中型", "large": "大型"},
        "employer_status": {"pending": "待认证", "verified": "已认证", "rejected": "认证未通过"},
        "member_role": {"owner": "负责人", "recruiter": "招聘专员"},
        "invitation_status": {
            "active": "有效",
            "accepted": "已接受",
            "expired": "已过期",
            "revoked": "已撤销",
        },
        "report_reason": {
            "fake_job": "虚假招聘",
            "discrimination": "就业歧视",
            "wage_arrears": "拖欠工资",
            "other": "其他",
        },
        "report_status": {"open": "待处理", "upheld": "举报属实", "dismissed": "不予采纳"},
        # The people ledger (人员清单)
        "ledger_category": dict(CATEGORY_LABELS),
        "ledger_status": dict(STATUS_LABELS),
        "ledger_follow_up_kind": dict(FOLLOW_UP_LABELS),
        "ledger_import_status": dict(IMPORT_STATUS_LABELS),
        # Applications and employment
        "application_status": {
            "submitted": "已投递",
            "viewed": "已查看",
            "interview": "邀请面试",
            "offered": "已发录用",
            "hired": "已入职",
            "rejected": "不合适",
            "withdrawn": "已撤回",
        },
        "viewer_role": {"applicant": "求职者", "employer": "招聘单位"},
        "contract_type": {
            "fixed_term": "固定期限劳动合同",
            "open_ended": "无固定期限劳动合同",
            "part_time": "非全日制用工",
            "internship": "实习/见习",
        },
        "internship_stage": {
            "upcoming": "未开始",
            "active": "见习中",
            "signed_early": "提前签约",
            "left_early": "提前离开",
            "finished": "见习期满",
        },
        # Gigs
        "gig_status": {
            "pending_review": "待审核",
            "rejected": "未通过审核",
            "open": "招募中",
            "full": "已招满",
            "in_progress": "进行中",
            "completed": "已完成",
            "cancelled": "已取消",
        },
        "gig_pay_unit": {u.value: _PAY_UNIT_NAMES[u.value] for u in PayUnit if u != "month"},
        "gig_settlement": {"same_day": "当日结算", "on_completion": "完工结算"},
        "gig_application_status": {
            "pending": "待确认",
            "accepted": "已录用",
            "declined": "未录用",
            "withdrawn": "已撤回",
            "closed": "已结束",
        },
        "gig_side": {"worker": "零工", "poster": "发布方"},
        "booking_status": {
            "booked": "已预订",
            "checked_in": "已到岗",
            "completed": "已完工",
            "cancelled": "已取消",
        },
        "payment_status": {
            "unpaid": "未支付",
            "reported": "已报告支付",
            "confirmed": "已确认收款",
            "disputed": "有争议",
        },
        "skill_level": {s.value: s.label for s in SkillLevel},
        # Service desk, events, training
        "station_kind": {
            "street_station": "街道（镇）就业服务站",
            "market_station": "零工市场",
            "gig_station": "零工驿站",
        },
        "service_category": {
            "registration": "就业登记",
            "certification": "证明办理",
            "guidance": "就业指导",
            "policy": "政策咨询",
            "training": "职业培训",
            "rights": "权益维护",
        },
        "appointment_status": {
            "booked": "已预约",
            "cancelled": "已取消",
            "checked_in": "已签到",
            "completed": "已办结",
            "no_show": "未到场",
        },
        "appointment_outcome": {
            "served": "已办理",
            "referred": "已转介",
            "needs_materials": "需补充材料",
            "no_show": "未到场",
        },
        "event_kind": {
            "fair": "综合招聘会",
            "special_fair": "小精专招聘会",
            "campus_trip": "校园行",
            "livestream": "直播带岗",
        },
        "event_status": {"published": "已发布", "cancelled": "已取消"},
        "event_platform": {
            "wechat_channels": "微信视频号",
            "douyin": "抖音",
            "kuaishou": "快手",
            "other": "其他",
        },
        "booth_status": {"pending": "待确认", "confirmed": "已确认", "rejected": "未通过"},
        "registration_status": {
            "registered": "已报名",
            "cancelled": "已取消",
            "checked_in": "已签到",
        },
        "course_status": {"open": "报名中", "cancelled": "已取消"},
        "enrolment_status": {
            "enrolled": "已报名",
            "cancelled": "已取消",
            "completed": "已结业",
            "failed": "未结业",
        },
        "target_group": {
            "general": "不限",
            "graduate": "高校毕业生",
            "youth": "青年",
            "long_term_unemployed": "长期失业人员",
            "hard_to_employ": "就业困难人员",
            "veteran": "退役军人",
            "disabled": "残疾人",
            "woman": "妇女",
            "migrant_worker": "农民工",
        },
        # Policies and subsidies
        "audience": {
            "graduate": "高校毕业生",
            "youth": "青年",
            "long_term_unemployed": "长期失业人员",
            "hard_to_employ": "就业困难人员",
            "veteran": "退役军人",
            "disabled": "残疾人",
            "woman": "妇女",
            "migrant_worker": "农民工",
            "founder": "创业者",
            "employer": "用人单位",
            "hr_agency": "人力资源服务机构",
            "training_provider": "培训机构",
        },
        "applicant_kind": {"person": "个人", "organisation": "单位"},
        "outcome_status": {
            "eligible": "符合条件",
            "needs_review": "需人工审核",
            "ineligible": "不符合条件",
        },
        "check_status": {"pass": "满足", "fail": "不满足", "unknown": "待确认"},
        "award_status": {
            "granted": "可享受",
            "pending": "待确认",
            "excluded": "不可同时享受",
            "superseded": "被更优政策替代",
            "capped": "已达上限",
            "unknown": "无法判断",
        },
        "parameter_unit": {
            "yuan": "元",
            "ratio": "比例",
            "count": "人/次",
            "months": "月",
            "years": "年",
            "bool": "是/否",
        },
        "fact_source": {
            "real_name": "实名信息",
            "employment_event": "就业记录",
            "resume": "简历",
            "employer": "单位信息",
            "internship_enrolment": "见习记录",
        },
        "assisted_group": {
            "employment_assistance": "就业援助对象",
            "hard_to_employ": "就业困难人员",
            "disabled": "残疾人",
            "long_term_unemployed": "长期失业人员",
            "other": "其他",
        },
        "key_group": {
            "graduate": "高校毕业生",
            "long_term_unemployed": "长期失业人员",
            "hard_to_employ": "就业困难人员",
        },
        "competition_level": {
            "district": "区级",
            "city": "市级",
            "region": "自治区级",
            "national": "国家级",
            "other": "其他",
        },
        "brand_level": {"city": "市级", "region": "自治区级"},
        "organisation_kind": {
            "enterprise": "企业",
            "hr_agency": "人力资源服务机构",
            "public_institution": "事业单位",
            "training_provider": "培训机构",
            "incubator": "创业孵化基地",
            "social_organisation": "社会组织",
            "other": "其他",
        },
        "business_type": {
            "small_micro_enterprise": "小微企业",
            "individual_business": "个体工商户",
            "other": "其他",
        },
        "talent_employer_kind": {"sme": "中小企业", "non_public": "非公单位", "other": "其他"},
        "subsidy_status": {
            "submitted": "已提交",
            "under_review": "审核中",
            "returned": "退回补正",
            "approved": "已批准",
            "rejected": "未批准",
            "paid": "已发放",
        },
        "engine_status": {"eligible": "初审符合", "needs_review": "需人工审核"},
        "subsidy_offer_status": {"offered": "待申请", "applied": "已申请", "dismissed": "已忽略"},
        "actor_kind": {"user": "申请人", "staff": "工作人员"},
        # Complaints
        "complaint_kind": {
            "wage_arrears": "拖欠工资",
            "fake_recruitment": "虚假招聘",
            "discrimination": "就业歧视",
            "unsafe_work": "不安全作业",
        },
        "complaint_source": {"user": "用户投诉", "gig_dispute": "零工纠纷"},
        "complaint_status": {
            "received": "已受理",
            "handling": "处理中",
            "resolved": "已办结",
            "transferred": "已转办",
        },
        "complaint_subject": {"gig_booking": "零工订单", "job": "岗位", "employer": "单位"},
        # People and staff
        "gender": {"unknown": "未填写", "male": "男", "female": "女"},
        "sex": {"male": "男", "female": "女"},
        "staff_role": {
            "admin": "管理员",
            "reviewer": "审核员",
            "station": "服务站工作人员",
            "liaison": "责任单位联络员",
        },
        # The bureau's own work (app/bureau)
        "figure_source": {"platform": "平台统计", "entered": "人工填报"},
        "shortage_catalogue_status": {
            "draft": "草稿",
            "published": "已发布",
            "superseded": "已被新版替代",
        },
        "vacancy_kind": {"job": "岗位", "gig": "零工"},
        "vacancy_reason": {"long_unfilled": "长期未招满", "few_applicants": "投递人数少"},
        "vacancy_follow_up_action": {
            "fair": "推送至招聘会",
            "livestream": "推送至直播带岗",
            "recommendation": "定向推荐",
            "other": "其他",
        },
        # Notifications: what wx.requestSubscribeMessage answered
        "subscribe_answer": {
            "accept": "已允许",
            "reject": "已拒绝",
            "ban": "已被封禁",
            "filter": "已被过滤",
        },
    }
)
