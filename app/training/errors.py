"""Errors of training courses: enrolment, attendance, completion."""

from __future__ import annotations

from app.core import errors


class CourseNotFound(errors.NotFound):
    code = "training.course_not_found"
    message = "未找到该培训课程"


class UnknownOccupation(errors.ValidationFailed):
    code = "training.unknown_occupation"
    message = "职业编码不存在"


class CourseClosed(errors.Conflict):
    code = "training.enrolment_closed"
    message = "课程已开课或已取消，不能再报名"


class SeatsFull(errors.Conflict):
    code = "training.seats_full"
    message = "名额已满"


class AlreadyEnrolled(errors.Conflict):
    code = "training.already_enrolled"
    message = "您已报名该课程"


class SeatsBelowEnrolled(errors.Conflict):
    code = "training.seats_below_enrolled"
    message = "名额不能少于已报名人数"


class EnrolmentNotFound(errors.NotFound):
    code = "training.enrolment_not_found"
    message = "未找到该报名"


class EnrolmentNotActive(errors.Conflict):
    code = "training.enrolment_not_active"
    message = "该报名当前状态不能执行此操作"


class AttendanceOutsideCourse(errors.ValidationFailed):
    code = "training.attendance_outside_course"
    message = "考勤日期须在课程起止日期之内"
