"""Identity errors with Chinese messages the mini-program shows as is."""

from __future__ import annotations

from app.core import errors


class RefreshTokenInvalid(errors.Unauthorized):
    code = "auth.refresh_invalid"
    message = "登录已过期，请重新登录"


class RefreshTokenReused(errors.Unauthorized):
    code = "auth.refresh_reused"
    message = "检测到登录凭证被重复使用，为保护账号安全已退出所有设备，请重新登录"
    keep_changes = True  # the revoked family must stay revoked


class StaffCredentialsInvalid(errors.Unauthorized):
    code = "auth.credentials_invalid"
    message = "用户名或密码错误"
    keep_changes = True  # failed attempts count towards the lockout


class StaffLocked(errors.AppError):
    status_code = 423
    code = "auth.account_locked"
    message = "密码错误次数过多，账号已临时锁定，请稍后再试"
    keep_changes = True


class StaffLoginThrottled(errors.RateLimited):
    code = "auth.login_throttled"
    message = "该账号近期有大量异常登录尝试，请稍后再试"
    keep_changes = True  # an attack alert written on the way stays


class PhoneRequired(errors.Forbidden):
    code = "identity.phone_required"
    message = "请先绑定手机号"


class RealNameRequired(errors.Forbidden):
    code = "identity.real_name_required"
    message = "请先完成实名认证"


class IdNumberTaken(errors.Conflict):
    code = "identity.id_number_taken"
    message = "该身份证号码已绑定其他账号，如有疑问请到就业服务站核实"


class RealNameLocked(errors.Conflict):
    code = "identity.real_name_locked"
    message = "实名信息已认证，如需更改请到就业服务站办理"


class PhoneDecryptFailed(errors.BadRequest):
    code = "identity.phone_decrypt_failed"
    message = "手机号解密失败，请重新授权"


class StaffUsernameTaken(errors.Conflict):
    code = "staff.username_taken"
    message = "该用户名已存在"


class StaffNotFound(errors.NotFound):
    code = "staff.not_found"
    message = "工作人员账号不存在"


class UserNotFound(errors.NotFound):
    code = "user.not_found"
    message = "用户不存在"


class LastAdmin(errors.Conflict):
    code = "staff.last_admin"
    message = "至少需要保留一个启用的管理员账号"


class StaffUserTaken(errors.Conflict):
    code = "staff.user_taken"
    message = "该小程序账号已关联其他工作人员账号"


class AccountOwnsEmployer(errors.Conflict):
    code = "account.employer_owner"
    message = "您是企业的负责人，请先将负责人转让给其他成员（或到就业服务站办理）后再注销账号"


class AccountHasOpenSubsidy(errors.Conflict):
    code = "account.subsidy_open"
    message = "您有正在办理的补贴申请，办结后才能注销账号"


class AccountHasLiveGigs(errors.Conflict):
    code = "account.gigs_active"
    message = "您有进行中的零工（发布的或已接的），结束或取消后才能注销账号"


class StaffUnitRequired(errors.ValidationFailed):
    code = "staff.unit_required"
    message = "联络员账号须填写所属单位"


class StaffUnitUnknown(errors.ValidationFailed):
    code = "staff.unit_unknown"
    message = "所属单位不在方案列明的单位中"
