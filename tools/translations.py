"""Maintain the app's Chinese translation files (a developer's tool, not used at run time).

	python -m tools.translations missing [zh|zh-TW]   strings the app has and a file lacks
	python -m tools.translations add FILE.tsv          add Simplified translations: source<TAB>translation
	python -m tools.translations traditional           derive zh-TW.csv from zh.csv with OpenCC
	python -m tools.translations stats                 share of the app's strings translated

`zh.csv` (Simplified) is written by people; `zh-TW.csv` (Traditional, Taiwan usage) is derived
from it: OpenCC's character conversion to Taiwan standard forms (s2tw; `pip install
opencc-python-reimplemented`), then `TAIWAN_TERMS`, the retail and software words Taiwan says
differently. (OpenCC's own phrase table, s2twp, gets some of them wrong for this vocabulary:
權限 becomes 許可權, 國家代碼 becomes 國家程式碼.) Both files drop strings the app no longer has.
"""

from __future__ import annotations

import csv
import sys

from tests.i18n_strings import APP_ROOT, app_messages, missing, read_translations, write_translations

# Traditional (after s2tw) -> Taiwan usage, applied in this order.
TAIWAN_TERMS = [
	("默認", "預設"), ("設置", "設定"), ("用戶", "使用者"), ("信息", "資訊"), ("數據", "資料"),
	("保存", "儲存"), ("鏈接", "連結"), ("網絡", "網路"), ("字段", "欄位"), ("對象", "物件"),
	("文本", "文字"), ("優化", "最佳化"), ("支持度", "\0SUPPORT\0"), ("支持", "支援"),
	("\0SUPPORT\0", "支持度"), ("創建", "建立"), ("添加", "新增"), ("打開", "開啟"), ("運行", "執行"),
	("搜索", "搜尋"), ("視圖", "檢視"), ("查看", "檢視"), ("聯繫", "聯絡"), ("發送", "傳送"),
	("批量", "批次"), ("字符", "字元"), ("兼容", "相容"), ("集成", "整合"), ("映射", "對映"),
	("調度程序", "排程器"), ("渠道", "通路"), ("門店", "門市"), ("自提", "自取"), ("郵編", "郵遞區號"),
	("賬", "帳"), ("質量", "品質"), ("短信", "簡訊"), ("軟件", "軟體"), ("菜單", "選單"),
	("平臺", "平台"), ("後臺", "後台"),
	("復購", "回購"), ("幣種", "幣別"), ("欺詐", "詐欺"), ("社交媒體", "社群媒體"), ("發貨", "出貨"),
	("網店", "網路商店"), ("視頻", "影片"), ("編寫代碼", "撰寫程式碼"), ("低代碼", "低程式碼"),
]  # fmt: skip


def _current(translations: dict) -> dict:
	"""Only the strings the app has now (a context-free row covers its contexts)."""
	keys = app_messages(APP_ROOT)
	sources = {source for source, _context in keys}
	return {key: text for key, text in translations.items() if key in keys or key[0] in sources}


def add(path: str) -> int:
	translations = read_translations("zh")
	with open(path, encoding="utf-8", newline="") as handle:
		for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
			if len(row) >= 2 and row[0] and row[1].strip():
				translations[(row[0], None)] = row[1].strip()
	write_translations("zh", _current(translations))
	return len(translations)


def to_taiwan(text: str, convert) -> str:
	text = convert(text)
	for simplified_usage, taiwan_usage in TAIWAN_TERMS:
		text = text.replace(simplified_usage, taiwan_usage)
	return text


def traditional() -> int:
	from opencc import OpenCC

	convert = OpenCC("s2tw").convert
	simplified = _current(read_translations("zh"))
	derived = {key: to_taiwan(text, convert) for key, text in simplified.items()}
	write_translations("zh-TW", derived)
	return len(derived)


def stats() -> None:
	total = len(app_messages(APP_ROOT))
	for lang in ("zh", "zh-TW"):
		done = total - len(missing(lang))
		print(f"{lang}: {done} of {total} strings translated ({done / total:.1%})")


if __name__ == "__main__":
	command, *args = sys.argv[1:] or ["stats"]
	if command == "missing":
		for lang in args or ["zh", "zh-TW"]:
			for message, context in missing(lang):
				print(f"{lang}\t{message}\t{context or ''}")
	elif command == "add":
		print(f"zh: {add(args[0])} translations")
	elif command == "traditional":
		print(f"zh-TW: {traditional()} translations")
	elif command == "stats":
		stats()
	else:
		sys.exit(__doc__)
