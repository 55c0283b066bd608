"""Reference values for lossmap's classification losses and Jensen-Shannon smoothness, computed
independently of lossmap in 50-digit decimal arithmetic (Python's `decimal`, exp and ln correctly
rounded at that precision), from the textbook definitions without the max-subtraction trick:

    p_k = exp(z_k) / sum_j exp(z_j)
    cross-entropy       l_i = -ln p_{i,y_i},            L = mean_i l_i
    class-weighted      L = sum_i w[y_i] l_i / sum_i w[y_i]      (torch.nn.CrossEntropyLoss, weight=)
    cost-sensitive      l_i = sum_k p_{i,k} C[y_i][k],  L = mean_i l_i   (Elkan 2001, C[true][pred])
    JS smoothness       S = lam * sum_i JS(p_i || p_{i+1}),  JS = KL(p||m)/2 + KL(q||m)/2, m = (p+q)/2

Gradients with respect to the logits are by central differences in the same 50-digit arithmetic
(step 1e-20, truncation error ~1e-40), so they do not reuse lossmap's closed forms either.

Run: python3 tests/reference/cross_entropy.py > tests/reference/cross_entropy.txt
Output lines: `<case> value <v>` and `<case> grad <index> <v>` (17 significant digits).
"""
from decimal import Decimal as D, getcontext

getcontext().prec = 50


def softmax(z):
    e = [x.exp() for x in z]
    s = sum(e)
    return [v / s for v in e]


def rows(z, k):
    return [z[i:i + k] for i in range(0, len(z), k)]


def cross_entropy(z, labels, k, weights=None):
    num, den = D(0), D(0)
    for row, y in zip(rows(z, k), labels):
        w = D(1) if weights is None else weights[y]
        num += -w * softmax(row)[y].ln()
        den += w
    return num / den


def cost_sensitive(z, labels, k, cost):
    total = D(0)
    for row, y in zip(rows(z, k), labels):
        p = softmax(row)
        total += sum(pk * cost[y * k + j] for j, pk in enumerate(p))
    return total / len(labels)


def xlogy(x, y):
    return D(0) if x == 0 else x * (x / y).ln()


def js(p, q):
    m = [(a + b) / 2 for a, b in zip(p, q)]
    return (sum(xlogy(a, c) for a, c in zip(p, m)) + sum(xlogy(b, c) for b, c in zip(q, m))) / 2


def js_smoothness(z, k, lam):
    r = [softmax(row) for row in rows(z, k)]
    return lam * sum(js(r[i], r[i + 1]) for i in range(len(r) - 1))


def grad(f, z):
    h = D("1e-20")
    out = []
    for i in range(len(z)):
        zp, zm = list(z), list(z)
        zp[i] += h
        zm[i] -= h
        out.append((f(zp) - f(zm)) / (2 * h))
    return out


def d(xs):
    return [D(repr(x)) for x in xs]


LOGITS = d([0.5, -1.25, 2.0, 0.0, 3.0, 1.0, -2.0, 0.25, -0.75, 0.1, 0.2, 1.9])
LABELS = [2, 0, 3]
K = 4
WEIGHTS = d([0.5, 2.0, 1.0, 3.0])
COST = d([0.0, 1.0, 2.0, 4.0,
          1.0, 0.0, 1.0, 2.0,
          5.0, 3.0, 0.0, 1.0,
          8.0, 2.0, 1.0, 0.0])
BIG = d([1000.0, 0.0, -1000.0, 30.0, 31.0, 29.5])
BIG_LABELS = [1, 0]
JS_LOGITS = d([0.0, 1.0, -1.0, 0.5, 0.5, 0.5, 3.0, -2.0, 0.0, 2.9, -2.1, 0.2])

CASES = [
    ("ce", LOGITS, lambda z: cross_entropy(z, LABELS, K)),
    ("weighted", LOGITS, lambda z: cross_entropy(z, LABELS, K, WEIGHTS)),
    ("cost", LOGITS, lambda z: cost_sensitive(z, LABELS, K, COST)),
    ("big", BIG, lambda z: cross_entropy(z, BIG_LABELS, 3)),
    ("js", JS_LOGITS, lambda z: js_smoothness(z, 3, D("0.7"))),
]

for name, z, f in CASES:
    print(f"{name} value {float(f(z)):.17g}")
    for i, g in enumerate(grad(f, z)):
        print(f"{name} grad {i} {float(g):.17g}")
