"""The demo city: fictional names and codes (the 99 prefix is not used by any real division)."""

CITY = ("990100", "云河市")

# district → subdistricts → communities; each community gets GRIDS_PER_COMMUNITY grid cells.
TREE = {
    ("990102", "东湖区"): {
        ("990102001", "湖滨街道"): [("990102001001", "柳岸社区"), ("990102001002", "望湖社区")],
        ("990102002", "新桥街道"): [("990102002001", "新桥社区"), ("990102002002", "桂园社区")],
    },
    ("990103", "西城区"): {
        ("990103001", "古楼街道"): [("990103001001", "钟楼社区"), ("990103001002", "文庙社区")],
        ("990103002", "梧桐街道"): [("990103002001", "梧桐社区")],
    },
    ("990105", "高新区"): {
        ("990105001", "创业街道"): [("990105001001", "科创社区"), ("990105001002", "云谷社区")],
    },
}
GRIDS_PER_COMMUNITY = 3
GRID_NAMES = ["第一网格", "第二网格", "第三网格", "第四网格"]

PASSWORD = "gongzhi-demo-2026"
DOMAIN = "yunhe.example"

# (e-mail local part, display name, what they are in the demo)
PEOPLE = [
    ("admin", "平台管理员", "admin"),
    ("official", "赵志刚", "official"),
    ("organiser", "刘芳", "organiser"),
    ("resident", "王秀英", "resident"),
    ("resident2", "李建国", "resident"),
    ("resident3", "张敏", "resident"),
    ("resident4", "陈晓东", "resident"),
    ("enterprise", "周强", "enterprise"),
    ("ngo", "孙丽", "social"),
]

# Organisation records: (first 17 characters of the credit code, name, kind, description, representative)
ORGANISATIONS = [
    (
        "91990102MA1XYW08K",
        "云河绿城物业服务有限公司",
        "enterprise",
        "东湖区多个老旧小区的物业服务企业，参与楼道照明和停车位改造。",
        "enterprise",
    ),
    (
        "52990100MJ0ABC12H",
        "云河市益邻社区服务中心",
        "social",
        "登记在册的社会服务机构，组织居民议事、志愿服务和适老化改造。",
        "ngo",
    ),
    (
        "11990102MB1234567",
        "东湖区住房和城乡建设局",
        "government",
        "负责东湖区老旧小区改造、背街小巷整治等项目的政府部门。",
        "official",
    ),
]

# Residency: (person, grid cell code, address); the first three are approved, the last one waits.
RESIDENTS = [
    ("resident", "990102001001001", "柳岸小区 3 栋 2 单元 501"),
    ("resident2", "990102001001002", "柳岸小区 7 栋 1 单元 302"),
    ("resident3", "990102001002001", "望湖花园 12 栋 801"),
    ("enterprise", "990102001001001", "柳岸小区 1 栋 1 单元 101"),
]
PENDING_RESIDENTS = [("resident4", "990102001001003", "柳岸新村 5 号楼 203")]

# Residents without e-mail whom the organiser registered in person (代办): name, cell, address, the last four
# ID characters, mobile number (or "").
ASSISTED_RESIDENTS = [
    ("孙桂芳", "990102001001001", "柳岸小区 5 栋 1 单元 102", "3021", ""),
    ("周德明", "990102001001002", "柳岸小区 9 栋 2 单元 401", "057X", "13912345678"),
]

# A residents' self-governing group waiting for confirmation, led by a resident.
RESIDENTS_GROUP = (
    "柳岸小区 3 栋居民自治小组",
    "3 栋居民自发组成，负责楼道改造等微项目的组织实施。",
    "resident",
    "990102001001",
)
