//! The walk from the crate root to every public item, and the listing's sorted entries.

use super::*;

/// One line (or, for a trait impl, a header line with its associated items indented below it)
/// of the listing, with where it sorts.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Entry {
    /// The path of the item the entry belongs to, by segment.
    pub(super) owner: Vec<String>,
    /// 0 the item itself, 1 its fields and variants, 2 its associated items, 3 trait impls.
    pub(super) rank: u8,
    /// Declaration order where it means something (fields, variants), else 0.
    pub(super) order: usize,
    pub(super) text: String,
}

/// The public items of a crate and how to render them.
pub(super) struct PublicApi<'a> {
    pub(super) krate: &'a Crate,
    /// Every public path of every reachable item (sorted, without duplicates).
    pub(super) found: BTreeSet<(Vec<String>, Reached)>,
    /// The shortest (then first in byte order) public path of each reachable item: where its
    /// members are listed and how types name it.
    pub(super) canonical: HashMap<Id, Vec<String>>,
}

/// What a public path leads to.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Reached {
    /// An item documented in the JSON.
    Item(Id),
    /// A re-export of an item of another crate that is not inlined (`pub use http::Method;`),
    /// or of a primitive: the source path only.
    Reexport(String),
}

impl<'a> PublicApi<'a> {
    pub(super) fn new(krate: &'a Crate) -> Self {
        let mut api = PublicApi {
            krate,
            found: BTreeSet::new(),
            canonical: HashMap::new(),
        };
        if let Some(root) = krate.index.get(&krate.root) {
            let name = root.name.clone().unwrap_or_default();
            api.visit(&krate.root, vec![name], &mut Vec::new());
        }
        for (path, reached) in &api.found {
            if let Reached::Item(id) = reached {
                let best = api.canonical.entry(*id).or_insert_with(|| path.clone());
                if (path.len(), path) < (best.len(), &*best) {
                    *best = path.clone();
                }
            }
        }
        api
    }

    pub(super) fn item(&self, id: &Id) -> Option<&'a Item> {
        self.krate.index.get(id)
    }

    /// Records `id` at `path` and, for a module, everything public in it.
    pub(super) fn visit(&mut self, id: &Id, path: Vec<String>, modules: &mut Vec<Id>) {
        let Some(item) = self.item(id) else { return };
        match &item.inner {
            // `pub use a::b as c`: rustdoc points at the item itself (chains resolved), or at
            // nothing it documents for items of other crates that are not inlined.
            ItemEnum::Use(u) => match u.id.as_ref().filter(|id| self.item(id).is_some()) {
                Some(target) => self.visit(target, path, modules),
                None => {
                    let source = match u.id.as_ref().and_then(|id| self.krate.paths.get(id)) {
                        Some(summary) => summary.path.join("::"),
                        None => u.source.clone(),
                    };
                    let source = if u.is_glob {
                        format!("{source}::*")
                    } else {
                        source
                    };
                    self.found.insert((path, Reached::Reexport(source)));
                }
            },
            ItemEnum::Module(module) => {
                self.found.insert((path.clone(), Reached::Item(*id)));
                // A module re-exporting an ancestor would otherwise recurse forever.
                if modules.contains(id) {
                    return;
                }
                modules.push(*id);
                self.visit_children(&module.items, &path, modules, &HashSet::new());
                modules.pop();
            }
            _ => {
                self.found.insert((path, Reached::Item(*id)));
            }
        }
    }

    /// The public `items` of a module at `parent`; names in `shadowed` are taken already.
    pub(super) fn visit_children(
        &mut self,
        items: &[Id],
        parent: &[String],
        modules: &mut Vec<Id>,
        shadowed: &HashSet<String>,
    ) {
        let mut named = Vec::new();
        let mut globs = Vec::new();
        for child in items {
            let Some(item) = self.item(child) else {
                continue;
            };
            // Variants have no visibility of their own; they come here from `pub use E::*`.
            let is_variant = matches!(item.inner, ItemEnum::Variant(_));
            if item.visibility != Visibility::Public && !is_variant {
                continue;
            }
            match &item.inner {
                ItemEnum::Use(u) if u.is_glob => globs.push((child, u)),
                ItemEnum::Use(u) => named.push((child, u.name.clone())),
                _ => {
                    if let Some(name) = &item.name {
                        named.push((child, name.clone()));
                    }
                }
            }
        }
        let mut taken = shadowed.clone();
        taken.extend(named.iter().map(|(_, name)| name.clone()));
        for (child, name) in named {
            if !shadowed.contains(&name) {
                let mut path = parent.to_vec();
                path.push(name);
                self.visit(child, path, modules);
            }
        }
        // `pub use m::*` puts m's public items (an enum's variants) into this module, except
        // where a name of the module's own shadows them.
        for (child, u) in globs {
            let target =
                u.id.as_ref()
                    .and_then(|id| self.item(id).map(|item| (id, item)));
            let Some((target_id, target)) = target else {
                let mut path = parent.to_vec();
                path.push("*".to_owned());
                self.visit(child, path, modules);
                continue;
            };
            let items = match &target.inner {
                ItemEnum::Module(m) => m.items.clone(),
                ItemEnum::Enum(e) => e.variants.clone(),
                _ => continue,
            };
            if modules.contains(target_id) {
                continue;
            }
            modules.push(*target_id);
            self.visit_children(&items, parent, modules, &taken);
            modules.pop();
        }
    }

    /// The listing: sorted by the path of the item each line belongs to.
    pub(super) fn render(&self) -> String {
        let mut entries = BTreeSet::new();
        for (path, reached) in &self.found {
            match reached {
                Reached::Reexport(source) => {
                    entries.insert(Entry {
                        owner: path.clone(),
                        rank: 0,
                        order: 0,
                        text: format!("pub use {} = {source}", path.join("::")),
                    });
                }
                Reached::Item(id) => {
                    let Some(item) = self.item(id) else { continue };
                    let canonical = self.canonical.get(id) == Some(path);
                    self.item_entries(item, path, canonical, &mut entries);
                }
            }
        }
        let mut out = String::new();
        for entry in entries {
            out.push_str(&entry.text);
            out.push('\n');
        }
        out
    }

    /// The entries of `item` at `path`: its own line, and at its canonical path its members.
    pub(super) fn item_entries(
        &self,
        item: &Item,
        path: &[String],
        canonical: bool,
        entries: &mut BTreeSet<Entry>,
    ) {
        let name = path.join("::");
        let mut push = |rank: u8, order: usize, text: String| {
            entries.insert(Entry {
                owner: path.to_vec(),
                rank,
                order,
                text,
            });
        };
        let attrs = attributes(item);
        let header = match &item.inner {
            ItemEnum::Module(_) => format!("pub mod {name}"),
            ItemEnum::ExternCrate { name: krate, .. } => {
                format!("pub extern crate {krate} as {name}")
            }
            ItemEnum::Struct(s) => {
                let shape = match &s.kind {
                    StructKind::Unit => ";".to_owned(),
                    StructKind::Tuple(fields) => format!("({})", self.tuple_fields(fields, "pub ")),
                    StructKind::Plain {
                        has_stripped_fields: true,
                        ..
                    } => " { /* private fields */ }".to_owned(),
                    StructKind::Plain { .. } => String::new(),
                };
                let (params, bounds) = self.generics(&s.generics);
                match &s.kind {
                    StructKind::Tuple(_) | StructKind::Unit => {
                        format!("pub struct {name}{params}{shape}{bounds}")
                    }
                    StructKind::Plain { .. } => format!("pub struct {name}{params}{bounds}{shape}"),
                }
            }
            ItemEnum::Union(u) => {
                let (params, bounds) = self.generics(&u.generics);
                let shape = if u.has_stripped_fields {
                    " { /* private fields */ }"
                } else {
                    ""
                };
                format!("pub union {name}{params}{bounds}{shape}")
            }
            ItemEnum::Enum(e) => {
                let (params, bounds) = self.generics(&e.generics);
                let shape = if e.has_stripped_variants {
                    " { /* hidden variants */ }"
                } else {
                    ""
                };
                format!("pub enum {name}{params}{bounds}{shape}")
            }
            ItemEnum::Variant(_) => format!("pub variant {}", self.variant(item, &name)),
            ItemEnum::Function(f) => format!("pub {}", self.function(&name, f, &[])),
            ItemEnum::Trait(t) => {
                let (params, bounds) = self.generics(&t.generics);
                let supertraits = if t.bounds.is_empty() {
                    String::new()
                } else {
                    format!(": {}", self.bounds(&t.bounds))
                };
                format!(
                    "pub {}{}trait {name}{params}{supertraits}{bounds}{}",
                    if t.is_unsafe { "unsafe " } else { "" },
                    if t.is_auto { "auto " } else { "" },
                    if t.is_dyn_compatible {
                        ""
                    } else {
                        " /* not dyn compatible */"
                    },
                )
            }
            ItemEnum::TraitAlias(t) => {
                let (params, bounds) = self.generics(&t.generics);
                format!(
                    "pub trait {name}{params} = {}{bounds}",
                    self.bounds(&t.params)
                )
            }
            ItemEnum::TypeAlias(t) => {
                let (params, bounds) = self.generics(&t.generics);
                format!("pub type {name}{params}{bounds} = {}", self.ty(&t.type_))
            }
            ItemEnum::Constant { type_, const_ } => {
                format!("pub const {name}: {} = {}", self.ty(type_), const_.expr)
            }
            ItemEnum::Static(s) => format!(
                "pub {}static {}{name}: {}",
                if s.is_unsafe { "unsafe " } else { "" },
                if s.is_mutable { "mut " } else { "" },
                self.ty(&s.type_)
            ),
            ItemEnum::ExternType => format!("pub extern type {name}"),
            ItemEnum::Macro(_) => format!("pub macro {name}!"),
            ItemEnum::ProcMacro(m) => match m.kind {
                MacroKind::Bang => format!("pub proc_macro {name}!"),
                MacroKind::Attr => format!("pub proc_macro_attribute #[{name}]"),
                MacroKind::Derive => format!("pub proc_macro_derive #[derive({name})]"),
            },
            ItemEnum::Primitive(p) => format!("pub primitive {name} = {}", p.name),
            ItemEnum::StructField(ty) => format!("pub field {name}: {}", self.ty(ty)),
            ItemEnum::AssocConst { type_, .. } => format!("pub const {name}: {}", self.ty(type_)),
            ItemEnum::AssocType { .. } => format!("pub type {name}"),
            ItemEnum::Use(_) | ItemEnum::Impl(_) => return,
        };
        push(0, 0, format!("{attrs}{header}"));
        if !canonical {
            return;
        }

        // Fields and variants, in declaration order (it decides layout, Ord, discriminants).
        let mut members: Vec<Id> = Vec::new();
        let mut impls: &[Id] = &[];
        match &item.inner {
            ItemEnum::Struct(s) => {
                if let StructKind::Plain { fields, .. } = &s.kind {
                    members.extend(fields);
                }
                impls = &s.impls;
            }
            ItemEnum::Union(u) => {
                members.extend(&u.fields);
                impls = &u.impls;
            }
            ItemEnum::Enum(e) => {
                members.extend(&e.variants);
                impls = &e.impls;
            }
            ItemEnum::Trait(t) => {
                for member in &t.items {
                    if let Some(member) = self.item(member) {
                        push(2, 0, self.trait_item(member, &name));
                    }
                }
                // Implementations for types of other crates (or blanket ones) are listed
                // here; those for this crate's public types are listed with the type.
                for id in &t.implementations {
                    let Some(imp) = self.item(id) else { continue };
                    let ItemEnum::Impl(imp) = &imp.inner else {
                        continue;
                    };
                    if !self.is_listed_with_its_type(&imp.for_) {
                        if let Some(text) = self.trait_impl(imp) {
                            push(3, 0, text);
                        }
                    }
                }
            }
            _ => {}
        }
        for (order, member) in members.iter().enumerate() {
            let Some(member) = self.item(member) else {
                continue;
            };
            let member_name = format!("{name}::{}", member.name.as_deref().unwrap_or("_"));
            let text = match &member.inner {
                ItemEnum::StructField(ty) => format!("pub field {member_name}: {}", self.ty(ty)),
                ItemEnum::Variant(_) => {
                    format!("pub variant {}", self.variant(member, &member_name))
                }
                _ => continue,
            };
            push(1, order, format!("{}{text}", attributes(member)));
        }
        for id in impls {
            let Some(imp_item) = self.item(id) else {
                continue;
            };
            let ItemEnum::Impl(imp) = &imp_item.inner else {
                continue;
            };
            if imp.is_synthetic || imp.blanket_impl.is_some() {
                continue; // auto traits (Send, Sync, ...) and blanket impls (From<T> for T, ...)
            }
            if imp.trait_.is_some() {
                if let Some(text) = self.trait_impl(imp) {
                    push(3, 0, text);
                }
                continue;
            }
            let owner = self.ty(&imp.for_);
            for member in &imp.items {
                let Some(member) = self.item(member) else {
                    continue;
                };
                if member.visibility != Visibility::Public {
                    continue;
                }
                if let Some(text) = self.inherent_item(member, &owner, &imp.generics) {
                    push(2, 0, text);
                }
            }
        }
    }
}
