-- Seals (docs/seals.md): a Merkle tree (RFC 6962) over the hashes of every event, in
-- cursor order, whose heads the sealer signs and records as LogSealed events. These
-- tables are the sealer's own: what was sealed, and the tree's nodes, for proofs.

-- Leaf n of the tree: the n-th event in cursor order (0-based) and its hash when sealed.
CREATE TABLE seal_leaves (
    leaf_index bigint NOT NULL PRIMARY KEY,
    event_id   uuid   NOT NULL UNIQUE,
    event_hash bytea  NOT NULL
);

-- The root of each complete subtree of 2^level leaves (level >= 1) starting at leaf
-- node_index * 2^level.
CREATE TABLE seal_nodes (
    level      smallint NOT NULL,
    node_index bigint   NOT NULL,
    hash       bytea    NOT NULL,
    PRIMARY KEY (level, node_index)
);

-- Each seal: its size, root and last event; the roots of the perfect subtrees of its tree
-- (largest first), from which the next seal continues; and the recorded LogSealed data.
CREATE TABLE seals (
    sequence         bigint  NOT NULL PRIMARY KEY,
    tree_size        bigint  NOT NULL UNIQUE,
    root_hash        bytea   NOT NULL,
    through_tx       xid8    NOT NULL,
    through_position bigint  NOT NULL,
    frontier         bytea[] NOT NULL,
    record           text    NOT NULL
);
