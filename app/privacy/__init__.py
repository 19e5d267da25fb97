"""A person's rights over their data: account erasure (账号注销) and the personal-data copy
(PIPL art. 45). It sits above every domain (it reads and erases each domain's personal data),
so no domain imports it.
"""
