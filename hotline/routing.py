"""Smart dispatch: which department should handle a citizen's words.

Features: TF-IDF over character 1–3-grams (robust to dialect spellings and typos) and over
rjieba words; a linear SVM (one-vs-rest, fitted by stochastic gradient descent), joined by a
complement naive Bayes over the same character grams (its standardised log-likelihoods added
to the SVM's margins: two linear views that err on different orders). The dispatch
catalogue (派单目录) gives each department its words and each category the words of its
remit: they are added to the training texts as short labelled documents, and a match adds a
boost at prediction time. The catalogue's rules (keywords or a category, optionally only in
some districts → a department) override the model. The suggestion carries the top three
departments with a confidence (softmax over the margins), a category, the words that drove
the best department and the rule that decided, if one did."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rjieba
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion

DATA = Path(__file__).resolve().parent / "data"
KEYWORD_WEIGHT = 0.1
# How much the naive Bayes view counts next to the SVM's margins (its per-order standardised
# log-likelihoods). 0.1–0.4 all help in five-fold CV over four shuffles; 0.2 is the middle.
BAYES_WEIGHT = 0.2


# Cantonese written forms → Mandarin, so a Hong Kong or Macao resident's words match.
CANTONESE = {
    "喺": "在",
    "嘅": "的",
    "冇": "没有",
    "唔": "不",
    "咗": "了",
    "睇": "看",
    "屋企": "家",
    "係": "是",
    "咩": "什么",
    "點樣": "怎样",
    "點": "怎",
    "佢": "他",
    "哋": "们",
    "乜": "什么",
    "嚟": "来",
    "俾": "给",
    "成日": "经常",
    "邊度": "哪里",
    "而家": "现在",
}


# Words of asking and talking that say nothing about whose business it is: never shown as the
# words that drove a suggestion, nor searched in the knowledge base.
STOP_WORDS = frozenset(
    [
        "请问",
        "怎么",
        "怎样",
        "如何",
        "什么",
        "需要",
        "可以",
        "哪里",
        "我们",
        "我想",
        "一下",
        "要",
        "带",
        "的",
        "了",
        "吗",
        "呢",
        "是",
        "有",
        "我",
        "你",
        "他",
        "在",
        "和",
        "就",
        "都",
        "也",
        "还",
        "又",
        "说",
        "去",
        "到",
        "个",
        "这个",
        "那个",
        "已经",
        "一直",
        "没有",
        "不",
        "好",
        "多",
        "几",
    ]
)


def normalize(text: str) -> str:
    """Traditional → Simplified (OpenCC), Cantonese written forms → Mandarin, lower case."""
    from core.text import to_simplified

    text = text or ""
    for cantonese, mandarin in CANTONESE.items():
        text = text.replace(cantonese, mandarin)
    return to_simplified(text).lower()


def words(text: str) -> list[str]:
    """rjieba words, without spaces and punctuation."""
    return [w for w in rjieba.cut(text) if any(c.isalnum() for c in w)]


def training_rows(path: Path | None = None) -> list[dict]:
    lines = (path or DATA / "hotline_train.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def catalogue(path: Path | None = None) -> dict:
    """The bundled dispatch catalogue (or the file at ``path``); the stored versions a city
    loads are in the database (`hotline.selectors.catalogue_current`)."""
    return json.loads((path or DATA / "dispatch_catalogue.json").read_text(encoding="utf-8"))


def catalogue_keywords(catalogue: dict) -> dict[str, list[str]]:
    """Each department's words: its own and those of its categories."""
    department_of = {c["code"]: c["department"] for c in categories()}
    keywords = {d: list(words) for d, words in catalogue.get("departments", {}).items()}
    for category, words in catalogue.get("categories", {}).items():
        department = department_of.get(category, category.split(".")[0])
        keywords[department] = list(dict.fromkeys(keywords.get(department, []) + list(words)))
    return keywords


def categories() -> list[dict]:
    return json.loads((DATA / "hotline_categories.json").read_text(encoding="utf-8"))["categories"]


@dataclass(frozen=True)
class Suggestion:
    departments: list[tuple[str, float]]  # best first, with a confidence in [0, 1]
    drivers: list[str]  # the words and phrases that pointed at the best department
    category: str = ""  # a category of the best department
    rule: str = ""  # the catalogue rule that decided the department, if one did


def rule_groups(rule: dict) -> list:
    """A rule's ``with`` words as groups: one list is one group, a list of lists several."""
    groups = rule.get("with") or []
    return [groups] if groups and isinstance(groups[0], str) else groups


def rule_matches(rule: dict, text: str, district: str | None) -> bool:
    """A catalogue rule applies when one of its keywords is in the (normalised) text, one word
    of each of its ``with`` groups too if it has them (e.g. a building site *and* a night-time
    hour *and* noise), none of its ``unless`` words, and, if it names regions, the order is in
    one of them."""
    if rule.get("regions") and district not in rule["regions"]:
        return False
    if any(normalize(k) in text for k in rule.get("unless", [])):
        return False
    if not all(any(normalize(k) in text for k in group) for group in rule_groups(rule)):
        return False
    return any(normalize(k) in text for k in rule.get("keywords", []))


class Router:
    # Bumped whenever a stored model of an earlier release cannot be used as it is (2: the
    # naive Bayes view); such a model is replaced by a newly trained one on first use.
    FORMAT = 2

    def __init__(self, catalogue: dict):
        self.format = self.FORMAT
        self.catalogue_version = str(catalogue.get("version", ""))
        self.keywords = {
            department: list(dict.fromkeys(normalize(k) for k in keys))
            for department, keys in catalogue_keywords(catalogue).items()
        }
        self.category_words = {
            code: [normalize(w) for w in words]
            for code, words in catalogue.get("categories", {}).items()
        }
        self.rules = list(catalogue.get("rules", []))
        self.features = FeatureUnion(
            [
                ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)),
                ("words", TfidfVectorizer(analyzer=words, sublinear_tf=True)),
            ]
        )
        # A linear SVM fitted by SGD: as accurate here as LinearSVC, and it trains on 100,000
        # orders in about half a minute where LinearSVC took minutes.
        self.model = SGDClassifier(loss="hinge", alpha=1e-4, max_iter=30, tol=None, random_state=0)
        # The naive Bayes view keeps only its per-class log-probabilities of the character
        # grams (what scoring needs), not the fitted estimator with its counts: a third of the
        # stored model's size.
        self.bayes_log_prob = np.zeros((0, 0))

    def fit(self, texts: list[str], labels: list[str]) -> Router:
        texts, labels = [normalize(t) for t in texts], list(labels)
        for category in categories():
            texts.append(category["name_zh"])
            labels.append(category["department"])
        for department, keys in self.keywords.items():
            texts += keys
            labels += [department] * len(keys)
        # About a million updates whatever the size: 30 passes over the bundled tickets, fewer
        # over a city's hundred thousand orders (SGD has converged long before).
        self.model.set_params(max_iter=max(8, min(30, -(-1_000_000 // len(texts)))))
        matrix = self.features.fit_transform(texts)
        self.model.fit(matrix, labels)
        # Both estimators order their classes as the sorted labels: rows line up. Single
        # precision is plenty for log-probabilities and halves what is stored.
        bayes = ComplementNB(alpha=0.3).fit(matrix[:, : self._char_width()], labels)
        self.bayes_log_prob = bayes.feature_log_prob_.astype(np.float32)
        self.classes = list(self.model.classes_)
        return self

    def _char_width(self) -> int:
        return len(self.features.transformer_list[0][1].vocabulary_)

    def _with_bayes(self, margins: np.ndarray, likelihoods: np.ndarray) -> np.ndarray:
        """The SVM's margins plus the naive Bayes log-likelihoods standardised per order (so
        the two views count on one scale whatever the text's length)."""
        likelihoods = likelihoods - likelihoods.mean(axis=1, keepdims=True)
        spread = likelihoods.std(axis=1, keepdims=True)
        return margins + BAYES_WEIGHT * likelihoods / np.where(spread > 0, spread, 1)

    def _margins(self, texts: list[str]) -> np.ndarray:
        """Both views' scores for normalised texts, through scikit-learn."""
        matrix = self.features.transform(texts)
        likelihoods = np.asarray(matrix[:, : self._char_width()] @ self.bayes_log_prob.T)
        return self._with_bayes(self.model.decision_function(matrix), likelihoods)

    def _margins_one(self, text: str) -> np.ndarray:
        """The model's margins for one normalised text, computed directly from the fitted
        vocabularies, idf weights and coefficients: the same numbers as the scikit-learn
        pipeline (a test compares them) without its per-call overhead, so one order is
        routed in well under the 5 ms the centre's intake allows. Includes the naive Bayes
        view, as `_margins` does."""
        chars = self.features.transformer_list[0][1]
        words_ = self.features.transformer_list[1][1]
        collapsed = re.sub(r"\s\s+", " ", text.lower())
        grams = list(collapsed)
        for n in (2, 3):
            grams += [collapsed[i : i + n] for i in range(len(collapsed) - n + 1)]
        columns: list[int] = []
        values: list[float] = []
        offset = 0
        for vectorizer, tokens in ((chars, grams), (words_, words(text))):
            counts = Counter(t for t in tokens if t in vectorizer.vocabulary_)
            if counts:
                index = [vectorizer.vocabulary_[t] for t in counts]
                weights = (1 + np.log(np.fromiter(counts.values(), float))) * vectorizer.idf_[index]
                columns += [offset + i for i in index]
                values += list(weights / np.linalg.norm(weights))
            offset += len(vectorizer.vocabulary_)
        coef = self.model.coef_
        margins = self.model.intercept_.copy()
        likelihoods = np.zeros(len(margins))
        if columns:
            margins += coef[:, columns] @ np.asarray(values)
            width = self._char_width()
            in_chars = [i for i, column in enumerate(columns) if column < width]
            if in_chars:
                likelihoods = (
                    self.bayes_log_prob[:, [columns[i] for i in in_chars]]
                    @ np.asarray(values)[in_chars]
                )
        return self._with_bayes(margins[np.newaxis, :], likelihoods[np.newaxis, :])[0]

    def scores(self, texts: list[str]) -> np.ndarray:
        texts = [normalize(t) for t in texts]
        if len(texts) == 1:
            margins = self._margins_one(texts[0])[np.newaxis, :]
        else:
            margins = self._margins(texts)
        index = {c: i for i, c in enumerate(self.classes)}
        for row, text in zip(margins, texts, strict=True):
            for department, keys in self.keywords.items():
                if department in index:
                    row[index[department]] += KEYWORD_WEIGHT * sum(
                        len(k) for k in keys if k in text
                    )
        return margins

    def rule(self, text: str, district: str | None = None) -> dict | None:
        text = normalize(text)
        return next((r for r in self.rules if rule_matches(r, text, district)), None)

    def top(
        self, texts: list[str], k: int = 3, districts: list[str | None] | None = None
    ) -> list[list[str]]:
        margins = self.scores(texts)
        order = np.argsort(-margins, axis=1)[:, : k + 1]
        ranked = []
        for text, row, district in zip(texts, order, districts or [None] * len(texts), strict=True):
            best = [self.classes[i] for i in row]
            rule = self.rule(text, district)
            if rule is not None:
                best = [rule["department"]] + [d for d in best if d != rule["department"]]
            ranked.append(best[:k])
        return ranked

    def suggest(self, text: str, district: str | None = None) -> Suggestion:
        margins = self.scores([text])[0]
        order = list(np.argsort(-margins)[:3])
        exp = [math.exp(3 * float(m)) for m in margins]
        total = sum(exp)
        departments = [(self.classes[i], round(exp[i] / total, 3)) for i in order]
        rule = self.rule(text, district)
        if rule is not None:
            others = [d for d in departments if d[0] != rule["department"]]
            departments = [(rule["department"], 1.0), *others[:2]]
        best = departments[0][0]
        return Suggestion(
            departments=departments,
            drivers=self._drivers(text, best),
            category=(rule or {}).get("category") or self.category_for(text, best),
            rule=(rule or {}).get("id", ""),
        )

    def category_for(self, text: str, department: str) -> str:
        """The department's category whose words weigh most in the text (its first category
        when none is found)."""
        text = normalize(text)
        own = [c for c in self.category_words if c.split(".")[0] == department]
        if not own:
            return ""
        return max(own, key=lambda c: sum(len(w) for w in self.category_words[c] if w in text))

    def _drivers(self, text: str, department: str) -> list[str]:
        """Catalogue keywords found, then the words whose weights for ``department`` are
        highest among those in the text."""
        text = normalize(text)
        found = [k for k in self.keywords.get(department, []) if k in text]
        vocabulary = self.features.transformer_list[1][1].vocabulary_
        offset = len(self.features.transformer_list[0][1].vocabulary_)
        row = self.model.coef_[self.classes.index(department)]
        weighted = sorted(
            {w for w in words(text) if w in vocabulary and w not in STOP_WORDS},
            key=lambda w: -row[offset + vocabulary[w]],
        )
        return list(
            dict.fromkeys(found + [w for w in weighted if row[offset + vocabulary[w]] > 0])
        )[:5]


def keyword_baseline(text: str, catalogue: dict) -> list[str]:
    """The rule baseline: departments by the total length of their catalogue words in the
    text."""
    text = normalize(text)
    keywords = {d: [normalize(k) for k in ks] for d, ks in catalogue_keywords(catalogue).items()}
    scores = {d: sum(len(k) for k in keys if k in text) for d, keys in keywords.items()}
    return [d for d in sorted(scores, key=lambda d: -scores[d]) if scores[d] > 0][:3]
