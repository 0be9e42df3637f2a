"""The electronic payment receipt (电子缴费凭证) as a PDF: one page, A5, with the payment code,
the fees, the amount in figures and in Chinese capitals, and a QR code of the address where
anyone holding the receipt can check it against the platform's record."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.crypto import salted_hmac
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from core.masking import mask_name

FONT = "STSong-Light"  # an Adobe CID font every PDF reader maps to a Chinese Song face
DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ["", "拾", "佰", "仟"]
GROUPS = ["", "万", "亿"]


def receipt_check_key(receipt_no: str) -> str:
    """The check key printed in the receipt's QR code (not guessable without the receipt)."""
    return salted_hmac("onestop.receipt", receipt_no).hexdigest()[:20]


def capitals(amount: Decimal) -> str:
    """人民币大写: 135.50 → 壹佰叁拾伍元伍角整."""
    cents = int((amount * 100).quantize(Decimal("1")))
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    out = ""
    if yuan:
        groups = []
        n = yuan
        while n:
            groups.append(n % 10000)
            n //= 10000
        for gi in range(len(groups) - 1, -1, -1):
            group, text, zero = groups[gi], "", False
            for di in range(3, -1, -1):
                digit = group // 10**di % 10
                if digit:
                    text += ("零" if zero else "") + DIGITS[digit] + UNITS[di]
                    zero = False
                elif text:
                    zero = True
            if group:
                if out and group < 1000:
                    out += "零"
                out += text + GROUPS[gi]
        out += "元"
    if jiao:
        out += DIGITS[jiao] + "角"
    elif fen and yuan:
        out += "零"
    if fen:
        out += DIGITS[fen] + "分"
    return (out or "零元") + ("" if fen else "整")


def receipt_pdf(payment, *, check_url: str) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    order, case = payment.order, payment.order.case
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A5, pageCompression=1)
    page.setTitle(f"电子缴费凭证 {payment.receipt_no}")
    page.setAuthor("OneStop")
    width, height = A5
    y = height - 20 * mm
    page.setFont(FONT, 15)
    page.drawCentredString(width / 2, y, "政务服务电子缴费凭证")
    page.setFont(FONT, 9)
    page.drawCentredString(width / 2, y - 6 * mm, "Electronic payment receipt")
    if payment.is_test:
        page.setFillColorRGB(0.75, 0.1, 0.1)
        page.setFont(FONT, 11)
        page.drawCentredString(width / 2, y - 12 * mm, "测试模式 · TEST MODE — 非真实收款")
        page.setFillColorRGB(0, 0, 0)
    y -= 22 * mm
    local = timezone.localtime(payment.at)
    rows = [
        ("票据号 Receipt no.", payment.receipt_no),
        ("缴款码 Payment code", order.code),
        ("办件编号 Application", case.receipt_no),
        ("缴款人 Payer", mask_name(case.applicant.display_name or "")),
        ("事项 Service", case.item.name_zh[:30]),
        ("执收单位 Collecting authority", order.authority.name_zh[:30]),
        ("缴款方式 Method", payment.get_method_display()),
        ("缴款时间 Paid at", f"{local:%Y-%m-%d %H:%M:%S}"),
    ]
    if payment.hall_id:
        rows.append(("缴款地点 Where", payment.hall.name_zh[:30]))
    if payment.provider:
        rows.append(("支付渠道 Provider", f"{payment.provider} {payment.provider_txn}"))
    page.setFont(FONT, 9)
    for label, value in rows:
        page.drawString(14 * mm, y, label)
        page.drawString(58 * mm, y, str(value))
        y -= 6 * mm
    y -= 2 * mm
    page.line(14 * mm, y + 3 * mm, width - 14 * mm, y + 3 * mm)
    for line in order.lines:
        units = f" × {line['units']}{line['unit_zh']}" if line.get("unit_zh") else ""
        page.drawString(14 * mm, y - 2 * mm, f"{line['name_zh'][:24]}{units}")
        amount = f"¥{line['amount']}" + ("（减免）" if line.get("exempt") else "")
        page.drawRightString(width - 14 * mm, y - 2 * mm, amount)
        y -= 6 * mm
    page.setFont(FONT, 11)
    page.drawString(14 * mm, y - 4 * mm, f"合计 Total  ¥{payment.amount}")
    page.setFont(FONT, 9)
    page.drawString(14 * mm, y - 10 * mm, f"人民币大写：{capitals(payment.amount)}")
    widget = QrCodeWidget(check_url)
    x0, y0, x1, y1 = widget.getBounds()
    size = 32 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, page, width - 14 * mm - size, 14 * mm)
    page.setFont(FONT, 7)
    page.drawString(14 * mm, 22 * mm, "扫码或访问以下地址核验本凭证 Scan or visit to check:")
    page.drawString(14 * mm, 18 * mm, check_url[:80])
    page.showPage()
    page.save()
    return buffer.getvalue()
