// Spearman's rank correlation for the analysis scripts (#load "rank-correlation.fsx"): Pearson's correlation of the
// ranks, ties getting the mean of the ranks they span.
module RankCorrelation

/// Ranks from 0, ties getting the mean of the ranks they span.
let ranks (v: float[]) =
    let order = Array.init v.Length id |> Array.sortBy (fun i -> v.[i])
    let r = Array.zeroCreate v.Length
    let mutable i = 0
    while i < order.Length do
        let mutable j = i
        while j + 1 < order.Length && v.[order.[j + 1]] = v.[order.[i]] do j <- j + 1
        for k in i .. j do r.[order.[k]] <- float (i + j) / 2.0
        i <- j + 1
    r

/// Pearson's correlation of two samples of the same length.
let pearson (a: float[]) (b: float[]) =
    let ma, mb = Array.average a, Array.average b
    let cov = Array.fold2 (fun s x y -> s + (x - ma) * (y - mb)) 0.0 a b
    cov / sqrt (Array.sumBy (fun x -> (x - ma) ** 2.0) a * Array.sumBy (fun y -> (y - mb) ** 2.0) b)

/// Spearman's rank correlation: the Pearson correlation of the ranks.
let spearman (a: float[]) (b: float[]) = pearson (ranks a) (ranks b)
