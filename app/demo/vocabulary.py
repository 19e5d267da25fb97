"""Word lists for the demo data generator: fictional names, demand weights, phrasing.

Nothing here names a real organisation: every employer name is built as ``示例·东胜`` + an
invented trade name, and roads are generic street names.
"""

from __future__ import annotations

BRANDS = (
    "恒达", "鑫源", "佳和", "瑞丰", "安泰", "华晟", "博远", "诚信", "金鼎", "顺通",
    "宏图", "嘉禾", "天成", "盛世", "兴隆", "众合", "益民", "康宁", "锦程", "正和",
    "蒙源", "暖城", "阳光", "鸿运", "泰和", "信达", "德润", "丰泽", "远航", "华宇",
    "明德", "永盛", "通达", "祥瑞", "新启", "北辰", "绿洲", "晨曦", "同创", "聚力",
)  # fmt: skip

# Trade words that follow the brand in an employer's name, by industry code.
TRADES: dict[str, tuple[str, ...]] = {
    "energy_chemical": ("能源", "煤化工", "化工", "能源科技"),
    "coal_mining": ("煤业", "矿业", "煤炭"),
    "new_energy": ("新能源", "光伏科技", "风电", "储能科技"),
    "new_materials": ("新材料", "硅材料", "碳材料科技"),
    "energy_saving": ("节能环保", "环保科技"),
    "equipment": ("机械制造", "装备制造", "重工", "电气设备"),
    "green_industry": ("生态建设", "绿化工程", "生态修复"),
    "low_altitude": ("无人机科技", "通用航空"),
    "connected_vehicles": ("智能网联科技", "新能源汽车服务"),
    "ai": ("智能科技", "数据科技"),
    "modern_commerce": ("商贸", "商业", "贸易", "电子商务"),
    "modern_logistics": ("物流", "供应链", "速运"),
    "culture_tourism": ("文化旅游", "旅行社", "文化传媒", "会展服务"),
    "digital_tech": ("信息技术", "网络科技", "软件", "数字科技"),
    "financial_services": ("金融服务", "保险代理", "融资担保"),
    "education_services": ("教育咨询", "教育科技", "职业技能培训"),
    "tech_services": ("检测技术", "科技服务", "技术咨询"),
    "green_services": ("环境监测", "环保服务", "碳资产管理"),
    "construction": ("建筑工程", "建设", "建筑装饰", "路桥工程"),
    "transport": ("运输", "客运", "出行服务"),
    "agriculture": ("农牧业", "农业科技", "牧业"),
    "textile": ("羊绒制品", "服饰", "绒纺"),
    "hospitality": ("餐饮管理", "酒店管理", "餐饮"),
    "household_services": ("家政服务", "母婴护理", "养老服务"),
    "resident_services": ("生活服务", "美业", "洗涤服务"),
    "healthcare": ("医疗服务", "健康管理", "康复医疗"),
    "property_services": ("物业服务", "物业管理", "保安服务"),
    "business_services": ("企业管理", "商务咨询", "财务咨询"),
    "hr_services": ("人力资源服务",),
    "public_admin": ("社区服务", "社会工作服务"),
    "other": ("实业",),
}

# What a public institution of an industry is called (示例·东胜区 + brand + this).
INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "education_services": ("幼儿园", "学校", "职业培训中心"),
    "healthcare": ("社区卫生服务中心", "医院"),
    "public_admin": ("社区服务中心", "社会工作服务站"),
}

# Small shops (个体工商户) by industry; other industries have none.
SHOPS: dict[str, tuple[str, ...]] = {
    "hospitality": ("快餐店", "饭店", "烧烤店", "面馆"),
    "modern_commerce": ("超市", "便利店", "五金店", "服装店"),
    "resident_services": ("美发店", "洗衣店", "宠物店"),
    "household_services": ("家政服务部",),
    "transport": ("汽车维修部",),
}

ROADS = (
    "建设路", "团结路", "富民路", "工业路", "创业大道", "兴业街",
    "和谐路", "育才路", "振兴街", "民生路", "新华街", "文明路",
)  # fmt: skip

# How often an occupation is advertised, relative to 1 for the rest (demo realism only).
OCCUPATION_DEMAND: dict[str, int] = {
    "courier": 8, "food_delivery_rider": 8, "waiter": 8, "cleaner": 7, "security_guard": 7,
    "production_worker": 6, "shop_assistant": 6, "cashier": 6, "chef": 6,
    "sales_representative": 6, "kitchen_helper": 5, "housekeeper": 5, "truck_driver": 5,
    "loader": 5, "electrician": 5, "welder": 5, "coal_miner": 5, "chemical_operator": 5,
    "customer_service_agent": 5, "maternity_nurse": 4, "elderly_caregiver": 4,
    "ride_hailing_driver": 4, "warehouse_keeper": 4, "excavator_operator": 4, "accountant": 4,
    "nurse": 4, "nursery_nurse": 3, "hospital_caregiver": 3, "forklift_driver": 3,
    "livestream_host": 3, "cashier_finance": 3, "teacher": 3, "kindergarten_teacher": 3,
    "hotel_receptionist": 3, "data_annotator": 3, "pv_om_technician": 3, "parcel_sorter": 3,
}  # fmt: skip

# Occupations that are commonly offered part-time (兼职).
PART_TIME_OCCUPATIONS = frozenset({
    "food_delivery_rider", "city_courier", "parcel_sorter", "hourly_housekeeper", "waiter",
    "food_runner", "dishwasher", "cashier", "stock_clerk", "promoter", "tutor", "data_annotator",
    "ecommerce_cs", "livestream_host", "livestream_controller", "photographer", "host_mc",
    "sports_instructor", "fitness_coach", "barista", "cleaner", "loader", "hospital_caregiver",
})  # fmt: skip

# How often a gig skill is asked for, relative to 1 for the rest.
SKILL_DEMAND: dict[str, int] = {
    "home_cleaning": 6, "deep_cleaning": 5, "moving": 6, "loading": 5, "warehouse_sorting": 4,
    "harvest": 4, "event_staff": 3, "table_service": 4, "kitchen_help": 3, "elderly_care": 3,
    "delivery": 4, "plumbing": 3, "electrical": 3, "renovation_helper": 3, "promotion": 3,
}  # fmt: skip

# Farm work happens in the towns; other gigs mostly in the streets.
TOWN_SKILL_GROUPS = frozenset({"farm"})

SURNAMES = (
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
    "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程",
    "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁",
    "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜", "范",
    "白", "乔", "贺", "郝", "武", "云", "奇", "康", "霍", "樊",
)  # fmt: skip
GIVEN_CHARACTERS = (
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "文", "辉", "鹏", "宇",
    "浩", "婷", "雪", "琳", "博", "晨", "悦", "欣", "昊", "宁", "丹", "亮", "飞", "红", "春",
    "海", "燕", "斌", "峰", "慧", "佳", "志", "玉", "兰", "凤", "俊", "帅", "瑞", "鑫", "睿",
)  # fmt: skip
# Mongolian given names written in Chinese characters, used as full names.
MONGOLIAN_NAMES = (
    "巴特尔", "乌兰", "其其格", "苏日娜", "额尔敦", "那仁", "阿拉坦仓", "萨仁高娃", "朝鲁",
    "斯琴", "图雅", "宝音", "额日登", "其木格", "乌日娜", "敖特根",
)  # fmt: skip

# Phrasing of job ads. None may contain what the moderation rules look for (tests check it).
TITLE_PATTERNS = ("{name}", "招聘{name}", "{name}（{area}）", "急招{name}", "{name}·{benefit}")
TRAITS = (
    "工作认真负责，有团队合作精神",
    "沟通表达能力良好",
    "能适应倒班工作",
    "服从工作安排，遵守规章制度",
    "能吃苦耐劳，踏实肯干",
    "有较强的学习能力",
    "熟练使用智能手机",
)
SCHEDULES = ("做六休一", "早九晚六", "两班倒", "做五休二", "排班制，每月休四天")
PART_TIME_SCHEDULES = ("每天工作4小时，时间可协商", "周末兼职", "晚间兼职", "每周至少上岗3天")
GIG_TIME_WINDOWS = ((8, 12), (8, 17), (9, 18), (13, 18), (18, 22), (7, 11), (14, 20))
WORKER_TIME_WINDOWS = ((8, 18), (7, 19), (9, 17), (13, 21), (18, 22), (8, 20), (6, 22))
GIG_EXTRAS = ("提供午餐。", "工具由雇主提供。", "需自带工具。", "现场有人带班。", "")
