"""Words the seed composes names from: place stems, estates, domains of work and legal-form suffixes.

A domain is drawn from DOMAINS by weight (out of 1000), so a common word such as 养老 names about a
tenth of the organizations and a rare pair of characters only a few; the place stems are drawn from
PLACE_CHARS, which share no character with the domains, so a place never adds a match of its own."""

from __future__ import annotations

# Two characters of a place (community, street, district) are drawn from these.
PLACE_CHARS = (
    "东西南北中新华兴宁泰丰和平昌盛福瑞祥云霞霖湖江河溪桥塘湾港岭峰山石林竹梅兰菊桂枫杨柳"
    "松柏槐桃李杏梧桐荷莲金银玉翠碧青丹紫晨曦朝阳春夏秋冬星月辰光明德仁义礼信忠孝贤良嘉绿锦绣"
)

# A tenth of the community organizations sit in a named estate (小区) of their community.
ESTATES = ("花园", "新村", "家园", "名苑", "府邸", "雅苑", "佳园", "景苑", "公寓", "馨苑")

# (domain word, weight out of 1000). 养老 ≈ 10% (居家养老 and 养老 together ≈ 11%).
DOMAINS = (
    ("养老", 100),
    ("居家养老", 10),
    ("助残", 40),
    ("文体", 55),
    ("志愿", 60),
    ("调解", 35),
    ("邻里", 50),
    ("读书", 30),
    ("关爱", 45),
    ("儿童", 40),
    ("青少年", 30),
    ("巾帼", 25),
    ("环保", 30),
    ("书画", 25),
    ("太极", 20),
    ("舞蹈", 35),
    ("合唱", 25),
    ("健康", 40),
    ("平安", 40),
    ("助餐", 20),
    ("法律援助", 15),
    ("心理", 15),
    ("科普", 15),
    ("非遗", 8),
    ("园艺", 10),
    ("垃圾分类", 12),
    ("睦邻", 20),
    ("慈善", 25),
    ("公益", 30),
    ("社工", 30),
    ("帮扶", 20),
    ("禁毒", 5),
    ("侨联", 5),
    ("围棋", 10),
    ("摄影", 15),
    ("戏曲", 10),
)

# Suffixes by legal form; a filed community organization is a team, club or group.
SUFFIXES = {
    "community_filed": ("服务队", "协会", "互助会", "小组", "俱乐部", "读书会", "队", "社"),
    "social_group": ("协会", "联合会", "促进会", "研究会"),
    "social_service": ("服务中心", "服务社", "发展中心", "社工站"),
    "foundation": ("基金会", "发展基金会"),
}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红文斌辉鹏飞燕海燕晓梅"

ENTRY_TITLES = ("入户走访", "集中活动", "主题讲座", "志愿服务", "技能培训", "议事协商", "宣传活动", "节日慰问")
PLACES = ("党群服务中心", "社区活动室", "居民家中", "文化礼堂", "小区广场", "睦邻中心")


def weighted(pairs, total: int = 1000) -> list[str]:
    """A list of `total` words in which each word appears `weight` times (the rest: the first word
    fills any gap), so picking index floor(random()*total) draws by weight."""
    words = [word for word, weight in pairs for _ in range(weight)]
    if len(words) > total:
        raise ValueError("weights exceed the total")
    return words + [pairs[0][0]] * (total - len(words))
