//! `supersedes` / `superseded-by` between the docs of a book: which links the attributes
//! declare, and the rules they must keep. A doc cannot supersede itself, two docs cannot each
//! supersede the other (nor any longer ring of docs), one doc cannot both supersede and be
//! superseded by another, and a doc still in force (approved or later) that a newer doc
//! supersedes should say so with its status.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;

use super::walk::{at, doc_file, note_at};
use crate::model::doc::{DesignDoc, Field};
use crate::model::status::Lifecycle;
use crate::report::diagnostic::{Diagnostic, Position, Rule};

/// One link as written: doc `newer` supersedes doc `older`, declared by `field` of doc `by`
/// (the newer doc's `supersedes` or the older doc's `superseded-by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Declared {
    pub newer: usize,
    pub older: usize,
    pub by: usize,
    pub field: Field,
}

/// How many docs of a supersede cycle its message names.
const STORY: usize = 6;

/// The name of the status that says a doc was replaced.
const SUPERSEDED: &str = "Superseded";

/// Every link the docs declare, in SUMMARY order of the declaring doc, and a warning for each
/// reference to no doc or to the declaring doc itself.
pub(super) fn declared(docs: &[DesignDoc], src: &Path) -> (Vec<Declared>, Vec<Diagnostic>) {
    let names = Names::new(docs);
    let mut links = Vec::new();
    let mut warnings = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        for field in [Field::Supersedes, Field::SupersededBy] {
            let Some(value) = doc.metadata.get(field) else {
                continue;
            };
            for reference in value.split(',').map(str::trim).filter(|r| !r.is_empty()) {
                match names.find(reference) {
                    Some(j) if j != i => links.push(if field == Field::Supersedes {
                        Declared {
                            newer: i,
                            older: j,
                            by: i,
                            field,
                        }
                    } else {
                        Declared {
                            newer: j,
                            older: i,
                            by: i,
                            field,
                        }
                    }),
                    Some(_) => warnings.push(itself(doc, field, reference, src)),
                    None => warnings.push(at(
                        doc,
                        field,
                        src,
                        Diagnostic::warning(
                            Rule::SupersedeUnknown,
                            format!("`{field}` names no design doc in this book: {reference:?}"),
                        )
                        .with_help(
                            "name another doc by its number or its title, e.g. `supersedes=\"12\"`",
                        ),
                    )),
                }
            }
        }
    }
    (links, warnings)
}

/// The docs by what a reference may name them with, each name for the first doc that has it
/// in SUMMARY order: built once, so a book of many links costs one look-up per reference.
struct Names<'a> {
    number: HashMap<&'a str, usize>,
    title: HashMap<String, usize>,
    path: HashMap<&'a Path, usize>,
}

impl<'a> Names<'a> {
    fn new(docs: &'a [DesignDoc]) -> Self {
        let mut names = Names {
            number: HashMap::new(),
            title: HashMap::new(),
            path: HashMap::new(),
        };
        for (i, d) in docs.iter().enumerate() {
            if let Some(number) = d.metadata.get(Field::Number) {
                names.number.entry(number).or_insert(i);
            }
            names.title.entry(d.title.to_lowercase()).or_insert(i);
            for path in [&d.source_path, &d.path].into_iter().flatten() {
                names.path.entry(path.as_path()).or_insert(i);
            }
        }
        names
    }

    /// The doc a reference names: by number, then by title (case-insensitive), then by path.
    fn find(&self, reference: &str) -> Option<usize> {
        self.number
            .get(reference)
            .or_else(|| self.title.get(&reference.to_lowercase()))
            .or_else(|| self.path.get(Path::new(reference)))
            .copied()
    }
}

fn itself(doc: &DesignDoc, field: Field, reference: &str, src: &Path) -> Diagnostic {
    let what = if field == Field::Supersedes {
        "supersede itself"
    } else {
        "be superseded by itself"
    };
    at(
        doc,
        field,
        src,
        Diagnostic::warning(
            Rule::SupersedeSelf,
            format!(
                "{:?} cannot {what}: `{field}` names the doc itself ({reference:?})",
                doc.title
            ),
        )
        .with_help(if field == Field::Supersedes {
            "name the older doc this one replaces, by its number or its title"
        } else {
            "name the newer doc that replaces this one, by its number or its title"
        }),
    )
}

/// The rules the links must keep, each broken one a warning at the attribute that declared
/// the link, naming both docs and pointing (in a note) to the other one.
pub(super) fn checks(
    docs: &[DesignDoc],
    links: &[Declared],
    lifecycle: &Lifecycle,
    src: &Path,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let both_ways = both_ways(docs, links, src, &mut out);
    // The first declaration of each link, which its findings point to.
    let mut first: HashMap<(usize, usize), Declared> = HashMap::new();
    let mut next = vec![Vec::new(); docs.len()];
    for l in links {
        first.entry((l.newer, l.older)).or_insert_with(|| {
            next[l.newer].push(l.older);
            *l
        });
    }
    // The ring each doc is in, if any: a link inside a ring gets the ring's warning only, but a
    // link into a ring from outside it is still checked (review 2).
    let mut ring_of = vec![None; docs.len()];
    for (i, component) in components(&next).into_iter().enumerate() {
        for &d in &component {
            ring_of[d] = Some(i);
        }
        if component.len() == 2 && both_ways.contains(&(component[0], component[1])) {
            continue;
        }
        let ring = shortest_cycle(&next, &component);
        out.push(cycle(docs, &first, &ring, src));
    }
    let mut seen = HashSet::new();
    for l in links {
        let in_ring = ring_of[l.older].is_some() && ring_of[l.older] == ring_of[l.newer];
        if !in_ring && seen.insert((l.newer, l.older)) {
            out.extend(still_in_force(docs, l, lifecycle, src));
        }
    }
    out
}

/// A doc that names the same doc in both `supersedes` and `superseded-by`. Returns the pairs
/// found (lower index first), whose two-doc ring needs no second warning.
fn both_ways(
    docs: &[DesignDoc],
    links: &[Declared],
    src: &Path,
    out: &mut Vec<Diagnostic>,
) -> HashSet<(usize, usize)> {
    let supersedes: HashSet<(usize, usize)> = links
        .iter()
        .filter(|l| l.field == Field::Supersedes)
        .map(|l| (l.by, l.older))
        .collect();
    let mut pairs = HashSet::new();
    for l in links.iter().filter(|l| l.field == Field::SupersededBy) {
        let (doc, other) = (l.by, l.newer);
        if !supersedes.contains(&(doc, other)) || !pairs.insert((doc.min(other), doc.max(other))) {
            continue;
        }
        let (d, o) = (&docs[doc], &docs[other]);
        let warning = Diagnostic::warning(
            Rule::SupersedeBothWays,
            format!(
                "{:?} both supersedes and is superseded by {:?}",
                d.title, o.title
            ),
        )
        .with_help(format!(
            "keep `supersedes` if {:?} is the newer doc, `superseded-by` if it is the older one",
            d.title
        ));
        let warning = at(d, Field::SupersededBy, src, warning);
        let warning = note_at(
            warning,
            d,
            Field::Supersedes,
            src,
            "and `supersedes` here".into(),
        );
        out.push(note_doc(warning, o, src, format!("{:?} is here", o.title)));
    }
    pairs
}

/// A ring of docs each superseding the next, back to the first: a warning at the attribute
/// that declares the first link, with a note at each other link.
fn cycle(
    docs: &[DesignDoc],
    first: &HashMap<(usize, usize), Declared>,
    ring: &[usize],
    src: &Path,
) -> Diagnostic {
    let title = |i: usize| format!("{:?}", docs[i].title);
    let mut story = format!("{} supersedes {}", title(ring[0]), title(ring[1]));
    // A long ring is told by its first docs; the notes give every link.
    for &d in ring.iter().skip(2).take(STORY - 2) {
        story.push_str(&format!(", which supersedes {}", title(d)));
    }
    if ring.len() > STORY {
        story.push_str(&format!(", ... ({} more docs)", ring.len() - STORY));
    }
    story.push_str(&format!(", which supersedes {}", title(ring[0])));
    let link = |k: usize| first.get(&(ring[k], ring[(k + 1) % ring.len()])).copied();
    let Some(first) = link(0) else {
        return Diagnostic::warning(Rule::SupersedeCycle, format!("supersede cycle: {story}"));
    };
    let mut d = at(
        &docs[first.by],
        first.field,
        src,
        Diagnostic::warning(Rule::SupersedeCycle, format!("supersede cycle: {story}")).with_help(
            "a doc is superseded by a newer one, which cannot be superseded by it in turn: \
             remove the link that points back",
        ),
    );
    for l in (1..ring.len()).filter_map(link) {
        let said = if l.field == Field::Supersedes {
            format!("{} supersedes {} here", title(l.newer), title(l.older))
        } else {
            format!(
                "{} is superseded by {} here",
                title(l.older),
                title(l.newer)
            )
        };
        d = note_at(d, &docs[l.by], l.field, src, said);
    }
    d
}

/// A doc approved or later (its status requires sign-offs) that a newer doc supersedes, while
/// its status still says it is in force.
fn still_in_force(
    docs: &[DesignDoc],
    link: &Declared,
    lifecycle: &Lifecycle,
    src: &Path,
) -> Option<Diagnostic> {
    let (older, newer) = (&docs[link.older], &docs[link.newer]);
    let status = lifecycle.resolve(&older.status)?;
    if !status.signed_off || status.name.eq_ignore_ascii_case(SUPERSEDED) {
        return None;
    }
    let d = Diagnostic::warning(
        Rule::SupersededInForce,
        format!(
            "{:?} is {}, but {:?} supersedes it",
            older.title, status.name, newer.title
        ),
    )
    .with_help(format!(
        "give {:?} the status {SUPERSEDED} (`status=\"{SUPERSEDED}\"`), or remove the link",
        older.title
    ));
    let d = at(&docs[link.by], link.field, src, d);
    let here = format!("{:?} has status {:?} here", older.title, older.status);
    Some(note_at(d, older, Field::Status, src, here))
}

/// A note pointing at the directive of `doc`.
fn note_doc(d: Diagnostic, doc: &DesignDoc, src: &Path, message: String) -> Diagnostic {
    let directive = Position {
        line: doc.line,
        column: 1,
    };
    match doc_file(doc, src) {
        Some(file) => d.with_note(Some(&file), Some(directive), message),
        None => d.with_note(None, None, message),
    }
}

/// The strongly connected components of more than one node of the graph whose edges are
/// `next` (Tarjan's algorithm, without recursion so a long chain of docs cannot overflow the
/// stack), each sorted, in order of their first node.
fn components(next: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const NEW: usize = usize::MAX;
    let n = next.len();
    let (mut index, mut low, mut on_stack) = (vec![NEW; n], vec![0; n], vec![false; n]);
    let (mut stack, mut counter, mut out) = (Vec::new(), 0, Vec::new());
    for root in 0..n {
        if index[root] != NEW {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&(v, edge)) = work.last() {
            if edge == 0 {
                (index[v], low[v]) = (counter, counter);
                counter += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = next[v].get(edge) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if index[w] == NEW {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(u, _)) = work.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort_unstable();
                    out.push(component);
                }
            }
        }
    }
    out.sort();
    out
}

/// The shortest ring through the first node of `component` (every node of a strongly connected
/// component lies on one), found breadth-first inside it: the nodes in order, not repeating
/// the first.
fn shortest_cycle(next: &[Vec<usize>], component: &[usize]) -> Vec<usize> {
    let start = component[0];
    let mut parent = vec![usize::MAX; next.len()];
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &next[v] {
            if w == start {
                let mut ring = vec![v];
                while let Some(&last) = ring.last()
                    && last != start
                {
                    ring.push(parent[last]);
                }
                ring.reverse();
                return ring;
            }
            if parent[w] == usize::MAX && component.binary_search(&w).is_ok() {
                parent[w] = v;
                queue.push_back(w);
            }
        }
    }
    component.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
        let mut next = vec![Vec::new(); n];
        for &(a, b) in edges {
            next[a].push(b);
        }
        next
    }

    #[test]
    fn components_are_the_rings() {
        assert!(components(&graph(3, &[(0, 1), (1, 2)])).is_empty());
        assert_eq!(components(&graph(2, &[(0, 1), (1, 0)])), [vec![0, 1]]);
        let g = graph(6, &[(0, 1), (1, 2), (2, 0), (3, 4), (4, 3), (2, 3), (5, 0)]);
        assert_eq!(components(&g), [vec![0, 1, 2], vec![3, 4]]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 200_000;
        let mut edges: Vec<(usize, usize)> = (0..n - 1).map(|i| (i, i + 1)).collect();
        edges.push((n - 1, 0));
        let found = components(&graph(n, &edges));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), n);
    }

    #[test]
    fn the_shortest_ring_through_the_first_doc() {
        // 0 -> 1 -> 2 -> 0, and a shortcut 0 -> 2.
        let g = graph(3, &[(0, 1), (1, 2), (2, 0), (0, 2)]);
        assert_eq!(shortest_cycle(&g, &[0, 1, 2]), [0, 2]);
        let g = graph(3, &[(0, 1), (1, 2), (2, 0)]);
        assert_eq!(shortest_cycle(&g, &[0, 1, 2]), [0, 1, 2]);
    }
}
