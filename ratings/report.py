"""The monthly assessment report as a PDF (reportlab, Adobe CID Song font: nothing shipped)."""

from __future__ import annotations

import io

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
TITLES = {"city": "全市", "department": "部门", "region": "区（市）", "hall": "大厅"}


def _pct(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def report_pdf(period, tables) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    page.setTitle(f"政务服务好差评 {period.key}")
    height = A4[1]
    y = height - 20 * mm

    def line(text: str, size: int = 9, x: float = 15 * mm) -> None:
        nonlocal y
        if y < 20 * mm:
            page.showPage()
            y = height - 20 * mm
        page.setFont(FONT, size)
        page.drawString(x, y, text)
        y -= size * 0.5 * mm + 2.5 * mm

    line(f"政务服务好差评月报 {period.key}（{period.start} 至 {period.end}）", 14)
    line(
        "满意率 = 非常满意、满意、基本满意三档之和 ÷ 评价总数；"
        "差评率 = 不满意、非常不满意 ÷ 评价总数；经核实的不实差评不计入。",
        8,
    )
    line(f"生成时间 {timezone.localtime():%Y-%m-%d %H:%M}", 8)
    for unit, rows in tables:
        line("")
        line(TITLES.get(unit, unit), 12)
        line(
            f"{'名称':<24}{'评价数':>8}{'满意率':>10}{'差评率':>10}{'整改数':>8}{'按时整改':>10}{'回访率':>10}",
            9,
        )
        for f in rows[:60]:
            line(
                f"{f.name[:22]:<24}{f.rated:>8}{_pct(f.satisfaction_rate):>10}"
                f"{_pct(f.bad_rate):>10}{f.rectifications:>8}{_pct(f.on_time_rate):>10}"
                f"{_pct(f.callback_rate):>10}",
                8,
            )
        if len(rows) > 60:
            line(f"……另有 {len(rows) - 60} 个，见 CSV。", 8)
    page.showPage()
    page.save()
    return buffer.getvalue()
