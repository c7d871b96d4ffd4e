"""Boilerplate table A: Chinese licence and filing numbers (ICP, 公网安备, 网文 …).

Enters: nothing at run time. Leaves: :data:`LICENCE_TABLE`, ``kind="search"`` entries that
find numbered items inside a footer line (several per line), and :data:`ITEM_SEPARATORS`;
the ``boilerplate`` stage decides what to do with the line.

Sources: ../shared/PATTERNS.md sections A (Chinese licence lines), B (English footers and
chrome), C (German chrome); the seeds (../shared/SEEDS.md). Every example is real text
from those sources.
"""

from __future__ import annotations

from cleaners.rules import Entry, compile_pattern, table

# -- shared pieces ---------------------------------------------------------------------------

#: One Han character: the province prefix of a filing number (京, 沪, 粤, … any of the 31).
_HAN = r"\p{Han}"
#: Separators between items on one footer line: spaces, U+3000, pipes, slashes, brackets.
ITEM_SEPARATORS = " \t\u00a0\u3000|/\\·•,，;；[]【】()（）"

# -- A. Chinese licence and filing numbers (search entries: several per line) ----------------

LICENCE_TABLE: tuple[Entry, ...] = table(
    Entry(
        id="boilerplate.drop_icp_filing",
        description="Drop ICP filing numbers (<province>ICP备<digits>号-n), footer lines by PRC rule.",
        category="licence",
        source="PATTERNS.md A1; seed 000:91",
        kind="search",
        contains=("icp备", "备案号"),
        regex=compile_pattern(
            rf"""
            (?:(?:ICP\s*备案编号|ICP\s*备案号|备案号)\s*+[:：]?\s*+)?   # optional label
            {_HAN}?ICP\s*备\s*                                   # 京ICP备
            \d{{6,10}}                                           # the number is required
            \s*号?(?:\s*-\s*\d+)?                                 # 号, site suffix -1
            """
        ),
        matches=(
            "[京公网安备 11010202009201号] [京ICP备05004340号-1]",
            "©22006 - 2018 中国医药科技出版社 版权所有ICP备案编号：京ICP备14035006号-7 | 京公网安备 11010802025774号",
            "经营许可证 编号：川B2-20100027 … 四川新闻网版权所有 蜀ICP备12007028号-8",
        ),
        leaves_alone=(
            "微信个人主体拿不到《互联网新闻信息服务许可证》",
            "Every website hosted in mainland China must display its ICP filing number at the bottom of their websites to maintain compliance.",
            "网站需要办理ICP备案后才能上线。",
        ),
    ),
    Entry(
        id="boilerplate.drop_icp_licence",
        description="Drop ICP operating licence numbers (ICP证, value-added telecom B2-…).",
        category="licence",
        source="PATTERNS.md A2; seed 000:90",
        kind="search",
        contains=("icp证", "b2-", "b1-"),
        regex=compile_pattern(
            rf"""
            {_HAN}?ICP\s*证\s*+[:：]?\s*+\d{{6}}\s*号?             # 京ICP证040655号
            | (?:(?:增值电信业务)?经营许可证\s*(?:编号)?\s*+[:：]?\s*+)?
              {_HAN}B[12]-\d{{8}}号?                              # 川B2-20100027
            """
        ),
        matches=(
            "[网上传播视听节目许可证(0106168)] [京ICP证040655号]",
            "违法和不良信息举报电话：（010）63070940 京ICP证010042号",
            "经营许可证 编号：川B2-20100027",
        ),
        leaves_alone=(
            "ICP证和ICP备案有什么区别？",
            "An ICP licence is needed for commercial websites in China.",
        ),
    ),
    Entry(
        id="boilerplate.drop_public_security_filing",
        description="Drop public-security (MPS) filing numbers (<province>公网安备 <12-15 digits>号).",
        category="licence",
        source="PATTERNS.md A3; seed 000:91",
        kind="search",
        contains=("公网安备",),
        regex=compile_pattern(
            rf"""
            {_HAN}?公网安备\s*+[:：]?\s*+\d{{12,15}}\s*号?        # 京公网安备 11010202009201号
            """
        ),
        matches=(
            "[京公网安备 11010202009201号] [京ICP备05004340号-1]",
            "[京公网安备：110102003042]",
            "Copyright © 2015 www.qiaoniaotv.com All Rights Reserved京公网安备110105005926",
        ),
        leaves_alone=(
            "网站上线前需要到公安机关办理公网安备手续。",
            "京公网安备编号可以在网站底部找到",
        ),
    ),
    Entry(
        id="boilerplate.drop_av_licence",
        description="Drop audiovisual programme licence numbers (网上/信息网络传播视听节目许可证).",
        category="licence",
        source="PATTERNS.md A4; seed 000:90",
        kind="search",
        contains=("视听节目许可证",),
        regex=compile_pattern(
            r"""
            (?:网上|信息网络)传播视听节目许可证
            \s*+[(（:：]?\s*+(?:编号\s*+[:：]?\s*+)?
            \d{6,}                                               # the number is required
            \s*[)）]?
            """
        ),
        matches=(
            "[网上传播视听节目许可证(0106168)] [京ICP证040655号]",
            "网上传播视听节目许可证 编号：2304068 / 发证机关：国家广播电影电视总局",
            "信息网络传播视听节目许可证：0907180　互联网出版许可证:新出网证（沪）字003号",
        ),
        leaves_alone=(
            "网络媒体上传：《互联网新闻信息服务许可证》或《信息网络传播视听节目许可证》。",
        ),
    ),
    Entry(
        id="boilerplate.drop_news_licence",
        description="Drop internet news information service licence numbers (互联网新闻信息服务许可证).",
        category="licence",
        source="PATTERNS.md A5",
        kind="search",
        contains=("新闻信息服务许可证",),
        regex=compile_pattern(
            r"""
            互联网新闻信息服务许可证\s*+[:：]?\s*+(?:编号\s*+[:：]?\s*+)?\d{8,}
            """
        ),
        matches=(
            "互联网新闻信息服务许可证：42120170004",
            "主办：小星星个人博客 互联网新闻信息服务许可证1012006048 京ICP备11009437号 京公网安备110102000247",
        ),
        leaves_alone=(
            "微信个人主体拿不到《互联网新闻信息服务许可证》",
            "网络媒体上传：《互联网新闻信息服务许可证》或《信息网络传播视听节目许可证》。",
        ),
    ),
    Entry(
        id="boilerplate.drop_licence_number",
        description="Drop other numbered Chinese licences and filings (网文, 新出网证, 许可证 + number).",
        category="licence",
        source="PATTERNS.md A6",
        kind="search",
        contains=("许可证", "网文", "网证", "备字"),
        regex=compile_pattern(
            rf"""
            {_HAN}网文\s*[【\[(（]\d{{4}}[】\])）]\s*\d+-\d+\s*号?            # 京网文【2011】0036-013
            | 新出网证\s*[(（]{_HAN}[)）]\s*字\s*\d+\s*号                  # 新出网证（辽）字888号
            | [(（]{_HAN}[)）]\s*网药械网络信息服务备字\s*[(（]\d{{4}}[)）]\s*第?\s*\d+\s*号
            | (?:网络文化经营|广播电视节目制作经营|互联网出版|出版物经营|广告经营|{_HAN}{{2,10}})许可证
              \s*+[:：]?\s*+(?:编号\s*+[:：]?\s*+)?
              (?:\d{{6,}}|[(（]{_HAN}[)）]\s*字\s*第?\s*\d{{3,}}\s*号|第\s*\d+\s*号)
            """
        ),
        matches=(
            "京网文【2011】0036-013　京ICP备09019508号　京ICP证090345号",
            "信息网络传播视听节目许可证：0907180　互联网出版许可证:新出网证（沪）字003号",
            "广播电视节目制作经营许可证：（鄂）字第00011号",
            "（京）网药械网络信息服务备字（2023）第00570号 / 互联网新闻信息服务许可证 11220230001 / 违法和不良信息举报",
        ),
        leaves_alone=(
            "微信个人主体拿不到《互联网新闻信息服务许可证》",
            "这家公司去年取得了网络文化经营许可证，业务增长很快。",
        ),
    ),
    Entry(
        id="boilerplate.drop_report_line",
        description="Drop illegal-content report lines with a phone number (违法和不良信息举报电话).",
        category="licence",
        source="PATTERNS.md A7",
        kind="search",
        contains=("不良信息举报",),
        regex=compile_pattern(
            r"""
            违法和不良信息举报(?:电话|中心|邮箱)?\s*[:：]\s*
            [\d()（）\-\s]{7,}\d                                  # a phone number is required
            """
        ),
        matches=(
            "违法和不良信息举报电话：（010）63070940 京ICP证010042号",
            "违法和不良信息举报电话：188-0130-1238",
        ),
        leaves_alone=("网信办开通违法和不良信息举报中心，鼓励网民参与监督。",),
    ),
)
