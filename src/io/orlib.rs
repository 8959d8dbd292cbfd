//! OR-Library p-median files (Beasley 1990): `n m p`, then `m` lines `u v cost` of an undirected
//! graph with vertices numbered from 1. Costs between vertices are shortest-path lengths; where an
//! edge is listed twice, the last listing counts (the convention the published optima follow).

use std::collections::BinaryHeap;
use std::path::Path;

use crate::analysis::location::Problem;

/// Why an OR-Library file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum OrlibError {
    /// The operating system refused.
    #[error("cannot read the OR-Library file ({source}): {}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A line that does not hold what it should.
    #[error("line {line}: {message}")]
    Format {
        /// Line number, from 1.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// An OR-Library p-median instance.
#[derive(Clone, Debug, PartialEq)]
pub struct OrlibInstance {
    /// Every vertex is a demand point (weight 1) and a candidate site.
    pub problem: Problem,
    /// Number of medians to choose.
    pub p: usize,
}

/// Reads an OR-Library p-median file.
pub fn read_orlib(path: &Path) -> Result<OrlibInstance, OrlibError> {
    let text = std::fs::read_to_string(path).map_err(|source| OrlibError::Io {
        path: path.into(),
        source,
    })?;
    parse_orlib(&text)
}

/// Parses the text of an OR-Library p-median file.
///
/// ```
/// // A path 1 - 2 - 3 with the edge 1-2 listed twice: the last listing (5) counts.
/// let instance = mahalleh::io::parse_orlib("3 3 1\n1 2 9\n2 3 4\n1 2 5\n").unwrap();
/// assert_eq!(instance.problem.cost(0, 2), 9.0);
/// assert_eq!(instance.problem.p_median_objective(&[1]), 9.0);
/// ```
pub fn parse_orlib(text: &str) -> Result<OrlibInstance, OrlibError> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let numbers = |line: usize, l: &str| -> Result<Vec<u64>, OrlibError> {
        l.split_whitespace()
            .map(|t| {
                t.parse::<u64>().map_err(|_| OrlibError::Format {
                    line,
                    message: format!("\"{t}\" is not a whole number"),
                })
            })
            .collect()
    };
    let (first, header) = lines.next().ok_or(OrlibError::Format {
        line: 1,
        message: "the file is empty".into(),
    })?;
    let header = numbers(first + 1, header)?;
    let [n, m, p] = header[..] else {
        return Err(OrlibError::Format {
            line: first + 1,
            message: "expected `n m p`".into(),
        });
    };
    let (n, m, p) = (n as usize, m as usize, p as usize);
    if n == 0 || p == 0 || p > n {
        return Err(OrlibError::Format {
            line: first + 1,
            message: format!("{p} medians among {n} vertices"),
        });
    }
    // Last listing wins: keep edges in a map keyed by the unordered pair.
    let mut edges = std::collections::HashMap::new();
    for (k, (index, l)) in lines.by_ref().take(m).enumerate() {
        let v = numbers(index + 1, l)?;
        let [a, b, cost] = v[..] else {
            return Err(OrlibError::Format {
                line: index + 1,
                message: "expected `u v cost`".into(),
            });
        };
        let (a, b) = (a as usize, b as usize);
        if !(1..=n).contains(&a) || !(1..=n).contains(&b) {
            return Err(OrlibError::Format {
                line: index + 1,
                message: format!(
                    "vertex {} is not between 1 and {n}",
                    if (1..=n).contains(&a) { b } else { a }
                ),
            });
        }
        let key = (a.min(b) - 1, a.max(b) - 1);
        edges.insert(key, (k, cost as f64));
    }
    let mut adjacency: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let mut listed: Vec<_> = edges.into_iter().collect();
    listed.sort_unstable_by_key(|(_, (k, _))| *k);
    for ((a, b), (_, cost)) in listed {
        adjacency[a].push((b, cost));
        adjacency[b].push((a, cost));
    }
    let rows: Vec<Vec<f64>> = {
        use rayon::prelude::*;
        (0..n).into_par_iter().map(|s| shortest_paths(&adjacency, s)).collect()
    };
    let costs = rows.concat();
    let problem = Problem::new(costs, vec![1.0; n], n, Vec::new()).map_err(|e| OrlibError::Format {
        line: 1,
        message: e.to_string(),
    })?;
    Ok(OrlibInstance { problem, p })
}

/// Dijkstra from `source`: the shortest-path length to every vertex (infinity if unreachable).
fn shortest_paths(adjacency: &[Vec<(usize, f64)>], source: usize) -> Vec<f64> {
    #[derive(PartialEq)]
    struct Entry(f64, usize);
    impl Eq for Entry {}
    impl PartialOrd for Entry {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Entry {
        // Smallest distance first.
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
        }
    }
    let mut dist = vec![f64::INFINITY; adjacency.len()];
    dist[source] = 0.0;
    let mut heap = BinaryHeap::from([Entry(0.0, source)]);
    while let Some(Entry(d, v)) = heap.pop() {
        if d > dist[v] {
            continue;
        }
        for &(w, c) in &adjacency[v] {
            let nd = d + c;
            if nd < dist[w] {
                dist[w] = nd;
                heap.push(Entry(nd, w));
            }
        }
    }
    dist
}
