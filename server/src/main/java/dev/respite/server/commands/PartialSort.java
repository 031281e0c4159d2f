package dev.respite.server.commands;

import java.util.Comparator;

/**
 * The partial quicksort Redis applies when a geo search returns only its first COUNT results: Bentley
 * and McIlroy's three-way partitioning quicksort that skips partitions lying wholly outside the wanted
 * index range. It is not stable, so equal distances come out in the order this exact algorithm leaves
 * them, which is the order Redis replies with.
 */
final class PartialSort {
    private PartialSort() {}

    /**
     * Sorts the first {@code n} elements of {@code x} enough that indexes {@code from..to} (inclusive) hold their
     * sorted elements.
     */
    static <T> void sort(T[] x, int n, Comparator<? super T> cmp, int from, int to) {
        sort(x, 0, n, cmp, from, to);
    }

    private static <T> void sort(T[] x, int a, int n, Comparator<? super T> cmp, int lo, int hi) {
        while (true) {
            if (n < 7) {
                for (int m = a + 1; m < a + n; m++) {
                    for (int l = m; l > a && cmp.compare(x[l - 1], x[l]) > 0; l--) {
                        swap(x, l, l - 1);
                    }
                }
                return;
            }
            int pm = a + n / 2;
            if (n > 7) {
                int pl = a;
                int pn = a + n - 1;
                if (n > 40) {
                    int d = n / 8;
                    pl = median(x, pl, pl + d, pl + 2 * d, cmp);
                    pm = median(x, pm - d, pm, pm + d, cmp);
                    pn = median(x, pn - 2 * d, pn - d, pn, cmp);
                }
                pm = median(x, pl, pm, pn, cmp);
            }
            swap(x, a, pm);
            int pa = a + 1;
            int pb = pa;
            int pc = a + n - 1;
            int pd = pc;
            while (true) {
                int c;
                while (pb <= pc && (c = cmp.compare(x[pb], x[a])) <= 0) {
                    if (c == 0) {
                        swap(x, pa++, pb);
                    }
                    pb++;
                }
                while (pb <= pc && (c = cmp.compare(x[pc], x[a])) >= 0) {
                    if (c == 0) {
                        swap(x, pc, pd--);
                    }
                    pc--;
                }
                if (pb > pc) {
                    break;
                }
                swap(x, pb++, pc--);
            }
            int end = a + n;
            int r = Math.min(pa - a, pb - pa);
            swapRuns(x, a, pb - r, r);
            r = Math.min(pd - pc, end - pd - 1);
            swapRuns(x, pb, end - r, r);
            r = pb - pa;
            if (r > 1 && overlaps(a, r, lo, hi)) {
                sort(x, a, r, cmp, lo, hi);
            }
            r = pd - pc;
            if (r <= 1 || !overlaps(end - r, r, lo, hi)) {
                return;
            }
            a = end - r;
            n = r;
        }
    }

    private static boolean overlaps(int start, int length, int lo, int hi) {
        return !(hi < start || lo >= start + length);
    }

    private static <T> int median(T[] x, int a, int b, int c, Comparator<? super T> cmp) {
        return cmp.compare(x[a], x[b]) < 0
                ? (cmp.compare(x[b], x[c]) < 0 ? b : (cmp.compare(x[a], x[c]) < 0 ? c : a))
                : (cmp.compare(x[b], x[c]) > 0 ? b : (cmp.compare(x[a], x[c]) < 0 ? a : c));
    }

    private static <T> void swap(T[] x, int i, int j) {
        T t = x[i];
        x[i] = x[j];
        x[j] = t;
    }

    private static <T> void swapRuns(T[] x, int i, int j, int n) {
        for (int k = 0; k < n; k++) {
            swap(x, i + k, j + k);
        }
    }
}
