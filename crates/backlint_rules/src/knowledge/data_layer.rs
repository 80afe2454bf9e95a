//! The data-layer model: the database libraries backend code uses, as data.
//!
//! For each library: the modules that mark it, the calls and constructors that produce a
//! database handle, the methods that take raw SQL text (and in which argument), and the query
//! methods (read or write, list queries and how they take a limit) that later database rules
//! (N+1, unbounded queries, transactions) reuse. Rules ask [`raw_sql_call`] and [`db_handle`];
//! they never recognise a library themselves.
//!
//! A handle is recognised by its origin when the file shows it (`const pool = new Pool()`,
//! `import { sql } from 'drizzle-orm'`, `conn = psycopg2.connect(…)`, `cur = conn.cursor()`),
//! else by the receiver's name (`this.db`, `req.pool`, `trx`, `cursor`): see
//! [`DB_NAME_WORDS`] and the vetoes in [`NOT_DB_NAME_WORDS`] (a GraphQL or Elasticsearch
//! `client` is no database). Name-based matches are marked so rules can ask for more evidence
//! (e.g. "the text looks like SQL").

use backlint_engine::{FileCtx, Language, Node};

use crate::names::words;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Js,
    Py,
}

impl Lang {
    pub fn of(lang: Language) -> Lang {
        if lang.is_js_like() {
            Lang::Js
        } else {
            Lang::Py
        }
    }
}

/// How a raw-SQL method's receiver is recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receiver {
    /// A handle of this library (by origin), or a receiver named like a database (by name).
    Handle,
    /// Any receiver: the method name alone is distinctive (`whereRaw`, `$queryRawUnsafe`).
    Any,
    /// The callee's qualified name, e.g. `["sqlalchemy", "text"]` (module segments first).
    Qualified(&'static [&'static str]),
}

/// Where a raw-SQL call takes its SQL text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlArg {
    /// A positional argument (0-based), or the keyword of that name (Python).
    Positional(usize, &'static str),
    /// Python keyword arguments holding SQL fragments (Django `.extra(where=[…], select={…})`).
    Keywords(&'static [&'static str]),
}

#[derive(Debug, Clone, Copy)]
pub struct RawSql {
    pub method: &'static str,
    pub receiver: Receiver,
    pub arg: SqlArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryKind {
    Read,
    Write,
}

/// How a list query takes a limit.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Keys of its options object (the last argument): Prisma `take`, Sequelize `limit`.
    pub keys: &'static [&'static str],
    /// Methods of its chain or builder: `.limit(n)`, `.take(n)`.
    pub methods: &'static [&'static str],
}

impl Limit {
    /// A query that takes no limit: a single row, a write, or a list bounded only by its
    /// filter (TypeORM `findBy`).
    pub const NONE: Limit = Limit {
        keys: &[],
        methods: &[],
    };

    pub const fn key(keys: &'static [&'static str]) -> Limit {
        Limit { keys, methods: &[] }
    }

    pub const fn method(methods: &'static [&'static str]) -> Limit {
        Limit { keys: &[], methods }
    }

    /// The way to write it, for messages: `take`, `.limit()`.
    pub fn spelling(&self) -> String {
        match (self.keys.first(), self.methods.first()) {
            (Some(k), _) => format!("`{k}`"),
            (None, Some(m)) => format!("`.{m}()`"),
            (None, None) => "a limit".to_string(),
        }
    }
}

/// A query method of a library (for rules about how queries run: loops, limits, transactions).
#[derive(Debug, Clone, Copy)]
pub struct QueryMethod {
    pub method: &'static str,
    pub kind: QueryKind,
    /// Returns many rows.
    pub list: bool,
    /// How a list query takes a limit.
    pub limit: Limit,
}

#[derive(Debug)]
pub struct DbLibrary {
    pub id: &'static str,
    /// The name people know it by.
    pub name: &'static str,
    pub lang: Lang,
    /// Import specifiers (JS) or top-level modules (Python) of the library.
    pub modules: &'static [&'static str],
    /// Qualified names of calls or constructors that return a handle.
    pub handles: &'static [&'static [&'static str]],
    /// Attributes that are handles of this library whatever they hang on (Django's
    /// `Model.objects` manager).
    pub handle_members: &'static [&'static str],
    /// Methods of a handle that return another handle of the same library (`pool.connect()`,
    /// `conn.cursor()`, `dataSource.createQueryRunner()`).
    pub derive: &'static [&'static str],
    pub raw_sql: &'static [RawSql],
    pub queries: &'static [QueryMethod],
    /// How to pass values as parameters with this library (help text).
    pub parameterised: &'static str,
    /// How to batch queries made once per item with this library (help text).
    pub batched: &'static str,
}

const fn raw(method: &'static str, receiver: Receiver, arg: usize) -> RawSql {
    RawSql {
        method,
        receiver,
        arg: SqlArg::Positional(arg, ""),
    }
}

const fn raw_kw(method: &'static str, receiver: Receiver, arg: usize, kw: &'static str) -> RawSql {
    RawSql {
        method,
        receiver,
        arg: SqlArg::Positional(arg, kw),
    }
}

/// A query for at most one row (or an aggregate).
const fn one(method: &'static str) -> QueryMethod {
    QueryMethod {
        method,
        kind: QueryKind::Read,
        list: false,
        limit: Limit::NONE,
    }
}

/// A query for many rows, and how it takes a limit.
const fn list(method: &'static str, limit: Limit) -> QueryMethod {
    QueryMethod {
        method,
        kind: QueryKind::Read,
        list: true,
        limit,
    }
}

const fn write(method: &'static str) -> QueryMethod {
    QueryMethod {
        method,
        kind: QueryKind::Write,
        list: false,
        limit: Limit::NONE,
    }
}

use Receiver::{Any, Handle, Qualified};

const KNEX_RAW: &[RawSql] = &[
    raw("raw", Handle, 0),
    raw("whereRaw", Any, 0),
    raw("orWhereRaw", Any, 0),
    raw("andWhereRaw", Any, 0),
    raw("havingRaw", Any, 0),
    raw("orHavingRaw", Any, 0),
    raw("orderByRaw", Any, 0),
    raw("groupByRaw", Any, 0),
    raw("joinRaw", Any, 0),
    raw("fromRaw", Any, 0),
    raw("selectRaw", Any, 0),
];

/// Every library, JS/TS first, then Python.
pub static LIBRARIES: &[DbLibrary] = &[
    DbLibrary {
        id: "pg",
        name: "node-postgres",
        lang: Lang::Js,
        modules: &["pg", "pg-pool"],
        handles: &[&["pg", "Pool"], &["pg", "Client"], &["pg-pool"]],
        handle_members: &[],
        derive: &["connect"],
        raw_sql: &[raw("query", Handle, 0)],
        queries: &[list("query", Limit::NONE)],
        parameterised: "pass values separately: `pool.query('SELECT * FROM users WHERE email = $1', [email])`",
        batched: "load all rows in one query with `WHERE id = ANY($1)` and an array parameter, or join the related table",
    },
    DbLibrary {
        id: "mysql2",
        name: "mysql2",
        lang: Lang::Js,
        modules: &["mysql2", "mysql2/promise", "mysql"],
        handles: &[
            &["mysql2", "createPool"],
            &["mysql2", "createConnection"],
            &["mysql2/promise", "createPool"],
            &["mysql2/promise", "createConnection"],
            &["mysql", "createPool"],
            &["mysql", "createConnection"],
        ],
        handle_members: &[],
        derive: &["getConnection", "promise"],
        raw_sql: &[raw("query", Handle, 0), raw("execute", Handle, 0)],
        queries: &[list("query", Limit::NONE), list("execute", Limit::NONE)],
        parameterised: "use placeholders: `conn.execute('SELECT * FROM users WHERE email = ?', [email])`",
        batched: "load all rows in one query with `WHERE id IN (?)` and an array parameter, or join the related table",
    },
    DbLibrary {
        id: "knex",
        name: "Knex",
        lang: Lang::Js,
        modules: &["knex"],
        handles: &[&["knex"], &["knex", "knex"]],
        handle_members: &[],
        derive: &["transaction"],
        raw_sql: KNEX_RAW,
        queries: &[
            list("select", Limit::method(&["limit", "first"])),
            one("first"),
            list("pluck", Limit::method(&["limit", "first"])),
            write("insert"),
            write("update"),
            write("del"),
            write("delete"),
            write("upsert"),
        ],
        parameterised: "use bindings: `knex.raw('select * from users where email = ?', [email])`, `.whereRaw('price > ?', [min])`",
        batched: "load all rows in one query with `.whereIn('id', ids)`, or join the related table; batch writes with one `insert([...])`",
    },
    DbLibrary {
        id: "prisma",
        name: "Prisma",
        lang: Lang::Js,
        modules: &["@prisma/client"],
        handles: &[&["@prisma/client", "PrismaClient"]],
        handle_members: &[],
        derive: &[],
        raw_sql: &[
            raw("$queryRawUnsafe", Any, 0),
            raw("$executeRawUnsafe", Any, 0),
            raw("raw", Qualified(&["@prisma/client", "Prisma", "raw"]), 0),
        ],
        queries: &[
            list("findMany", Limit::key(&["take"])),
            one("findUnique"),
            one("findUniqueOrThrow"),
            one("findFirst"),
            one("findFirstOrThrow"),
            one("count"),
            one("aggregate"),
            // One row per group: bounded by its grouping keys.
            one("groupBy"),
            write("create"),
            write("createMany"),
            write("update"),
            write("updateMany"),
            write("upsert"),
            write("delete"),
            write("deleteMany"),
        ],
        parameterised: "use the tagged template, which sends values as parameters: prisma.$queryRaw`SELECT * FROM users WHERE email = ${email}`",
        batched: "load the relation with `include`/`select`, or all rows at once with `findMany({ where: { id: { in: ids } } })`; batch writes with `createMany`/`updateMany` or one `$transaction([...])`",
    },
    DbLibrary {
        id: "typeorm",
        name: "TypeORM",
        lang: Lang::Js,
        modules: &["typeorm"],
        handles: &[&["typeorm", "DataSource"], &["typeorm", "getManager"], &["typeorm", "getConnection"], &["typeorm", "getRepository"], &["typeorm", "createConnection"]],
        handle_members: &[],
        derive: &["createQueryRunner", "getRepository", "manager"],
        raw_sql: &[raw("query", Handle, 0)],
        queries: &[
            list("find", Limit::key(&["take"])),
            list("findBy", Limit::NONE),
            list("findAndCount", Limit::key(&["take"])),
            list("findAndCountBy", Limit::NONE),
            one("findOne"),
            one("findOneBy"),
            one("findOneOrFail"),
            one("count"),
            list("getMany", Limit::method(&["take", "limit"])),
            list("getRawMany", Limit::method(&["limit", "take"])),
            list("getManyAndCount", Limit::method(&["take", "limit"])),
            one("getOne"),
            write("save"),
            write("insert"),
            write("update"),
            write("delete"),
            write("remove"),
            write("upsert"),
        ],
        parameterised: "pass parameters: `dataSource.query('SELECT * FROM users WHERE email = $1', [email])`, or the query builder's `.where('u.email = :email', { email })`",
        batched: "load relations with `relations`/`leftJoinAndSelect`, or all rows at once with `findBy({ id: In(ids) })`; save many entities with one `save([...])`",
    },
    DbLibrary {
        id: "sequelize",
        name: "Sequelize",
        lang: Lang::Js,
        modules: &["sequelize", "sequelize-typescript"],
        handles: &[&["sequelize", "Sequelize"], &["sequelize-typescript", "Sequelize"]],
        handle_members: &[],
        derive: &["transaction"],
        raw_sql: &[
            raw("query", Handle, 0),
            raw("literal", Qualified(&["sequelize", "literal"]), 0),
            raw("literal", Qualified(&["sequelize", "Sequelize", "literal"]), 0),
        ],
        queries: &[
            list("findAll", Limit::key(&["limit"])),
            list("findAndCountAll", Limit::key(&["limit"])),
            one("findOne"),
            one("findByPk"),
            one("count"),
            write("create"),
            write("bulkCreate"),
            write("update"),
            write("destroy"),
            write("upsert"),
        ],
        parameterised: "use replacements or bind: `sequelize.query('SELECT * FROM users WHERE email = :email', { replacements: { email } })`",
        batched: "eager-load with `include`, or load all rows at once with `findAll({ where: { id: ids } })`; batch writes with `bulkCreate`",
    },
    DbLibrary {
        id: "better-sqlite3",
        name: "better-sqlite3",
        lang: Lang::Js,
        modules: &["better-sqlite3"],
        handles: &[&["better-sqlite3"]],
        handle_members: &[],
        derive: &[],
        raw_sql: &[raw("prepare", Handle, 0), raw("exec", Handle, 0)],
        queries: &[list("all", Limit::NONE), one("get"), write("run")],
        parameterised: "prepare once with placeholders: `db.prepare('SELECT * FROM users WHERE email = ?').get(email)`",
        batched: "load all rows in one statement with `WHERE id IN (...)`, or run the writes in one `db.transaction(...)`",
    },
    DbLibrary {
        id: "drizzle",
        name: "Drizzle",
        lang: Lang::Js,
        modules: &["drizzle-orm"],
        handles: &[
            &["drizzle-orm/node-postgres", "drizzle"],
            &["drizzle-orm/postgres-js", "drizzle"],
            &["drizzle-orm/mysql2", "drizzle"],
            &["drizzle-orm/better-sqlite3", "drizzle"],
            &["drizzle-orm/libsql", "drizzle"],
        ],
        handle_members: &[],
        derive: &["transaction"],
        raw_sql: &[raw("raw", Qualified(&["drizzle-orm", "sql", "raw"]), 0)],
        queries: &[
            list("select", Limit::method(&["limit"])),
            // The relational query API: `db.query.users.findMany({ limit })`.
            list("findMany", Limit::key(&["limit"])),
            one("findFirst"),
            write("insert"),
            write("update"),
            write("delete"),
        ],
        parameterised: "use the sql tagged template, which sends values as parameters: sql`select * from users where email = ${email}`",
        batched: "load all rows at once with `inArray(table.id, ids)` or the relational query API's `with`; batch writes with one `insert(...).values([...])`",
    },
    DbLibrary {
        id: "dbapi",
        name: "DB-API",
        lang: Lang::Py,
        modules: &["sqlite3", "psycopg2", "psycopg", "pymysql", "MySQLdb", "mysql", "cx_Oracle", "oracledb", "pyodbc", "aiopg", "aiomysql", "aiosqlite"],
        handles: &[
            &["sqlite3", "connect"],
            &["psycopg2", "connect"],
            &["psycopg", "connect"],
            &["psycopg", "AsyncConnection", "connect"],
            &["psycopg", "Connection", "connect"],
            &["pymysql", "connect"],
            &["MySQLdb", "connect"],
            &["mysql", "connector", "connect"],
            &["cx_Oracle", "connect"],
            &["oracledb", "connect"],
            &["pyodbc", "connect"],
            &["aiopg", "connect"],
            &["aiopg", "create_pool"],
            &["aiomysql", "connect"],
            &["aiomysql", "create_pool"],
            &["aiosqlite", "connect"],
        ],
        handle_members: &[],
        derive: &["cursor", "acquire"],
        raw_sql: &[
            raw_kw("execute", Handle, 0, "sql"),
            raw_kw("executemany", Handle, 0, "sql"),
            raw_kw("executescript", Handle, 0, "sql_script"),
            raw("SQL", Qualified(&["psycopg2", "sql", "SQL"]), 0),
            raw("SQL", Qualified(&["psycopg", "sql", "SQL"]), 0),
        ],
        queries: &[list("execute", Limit::NONE), list("fetchall", Limit::NONE), one("fetchone"), list("fetchmany", Limit::NONE)],
        parameterised: "pass values as parameters: `cursor.execute(\"SELECT * FROM users WHERE email = %s\", (email,))` (sqlite3: `?`)",
        batched: "load all rows with one `WHERE id IN (...)` query, or batch writes with `cursor.executemany(...)`",
    },
    DbLibrary {
        id: "asyncpg",
        name: "asyncpg",
        lang: Lang::Py,
        modules: &["asyncpg"],
        handles: &[&["asyncpg", "connect"], &["asyncpg", "create_pool"]],
        handle_members: &[],
        derive: &["acquire"],
        raw_sql: &[
            raw_kw("fetch", Handle, 0, "query"),
            raw_kw("fetchrow", Handle, 0, "query"),
            raw_kw("fetchval", Handle, 0, "query"),
            raw_kw("execute", Handle, 0, "query"),
            raw_kw("executemany", Handle, 0, "command"),
        ],
        queries: &[list("fetch", Limit::NONE), one("fetchrow"), one("fetchval"), write("execute")],
        parameterised: "pass values as parameters: `await conn.fetch('SELECT * FROM users WHERE email = $1', email)`",
        batched: "load all rows with `WHERE id = ANY($1::int[])`, or batch writes with `executemany`/`copy_records_to_table`",
    },
    DbLibrary {
        id: "sqlalchemy",
        name: "SQLAlchemy",
        lang: Lang::Py,
        modules: &["sqlalchemy", "sqlmodel", "flask_sqlalchemy"],
        handles: &[
            &["sqlalchemy", "create_engine"],
            &["sqlalchemy", "ext", "asyncio", "create_async_engine"],
            &["sqlalchemy", "orm", "sessionmaker"],
            &["sqlalchemy", "orm", "Session"],
            &["sqlalchemy", "orm", "scoped_session"],
            &["sqlmodel", "Session"],
            &["sqlmodel", "create_engine"],
        ],
        handle_members: &[],
        derive: &["connect", "begin"],
        raw_sql: &[
            raw_kw("execute", Handle, 0, "statement"),
            raw_kw("exec_driver_sql", Handle, 0, "statement"),
            raw("text", Qualified(&["sqlalchemy", "text"]), 0),
            raw("text", Qualified(&["sqlalchemy", "sql", "text"]), 0),
            raw("text", Qualified(&["sqlalchemy", "sql", "expression", "text"]), 0),
            raw("text", Qualified(&["sqlmodel", "text"]), 0),
        ],
        queries: &[
            list("all", Limit::method(&["limit", "slice"])),
            one("first"),
            one("one"),
            list("scalars", Limit::method(&["limit", "slice"])),
            one("get"),
            write("add"),
            write("delete"),
            write("merge"),
        ],
        parameterised: "bind parameters: `session.execute(text(\"SELECT * FROM users WHERE email = :email\"), {\"email\": email})`",
        batched: "eager-load with `selectinload`/`joinedload`, or load all rows with `select(X).where(X.id.in_(ids))`; add many objects with `add_all` and flush once",
    },
    DbLibrary {
        id: "django",
        name: "Django ORM",
        lang: Lang::Py,
        modules: &["django"],
        handles: &[&["django", "db", "connection"], &["django", "db", "connections"]],
        handle_members: &["objects"],
        derive: &["cursor"],
        raw_sql: &[
            raw_kw("raw", Handle, 0, "raw_query"),
            raw_kw("execute", Handle, 0, "sql"),
            raw_kw("executemany", Handle, 0, "sql"),
            RawSql {
                method: "extra",
                receiver: Any,
                arg: SqlArg::Keywords(&["where", "select", "tables", "order_by"]),
            },
            raw_kw("RawSQL", Qualified(&["django", "db", "models", "expressions", "RawSQL"]), 0, "sql"),
            raw_kw("RawSQL", Qualified(&["django", "db", "models", "RawSQL"]), 0, "sql"),
        ],
        // Bounded by slicing (`qs[:50]`), which the rules read off the syntax.
        queries: &[
            list("all", Limit::NONE),
            list("filter", Limit::NONE),
            list("exclude", Limit::NONE),
            one("get"),
            one("first"),
            one("last"),
            one("count"),
            one("exists"),
            list("values", Limit::NONE),
            list("values_list", Limit::NONE),
            write("create"),
            write("bulk_create"),
            write("update"),
            write("delete"),
            write("save"),
            write("get_or_create"),
            write("update_or_create"),
        ],
        parameterised: "pass params: `Model.objects.raw(\"SELECT * FROM app_user WHERE email = %s\", [email])`, `cursor.execute(sql, [value])`",
        batched: "fetch related objects with `select_related`/`prefetch_related`, all rows with `filter(id__in=ids)` or `in_bulk(ids)`; batch writes with `bulk_create`/`bulk_update`",
    },
    DbLibrary {
        id: "pandas",
        name: "pandas",
        lang: Lang::Py,
        modules: &["pandas"],
        handles: &[],
        handle_members: &[],
        derive: &[],
        raw_sql: &[
            raw_kw("read_sql", Qualified(&["pandas", "read_sql"]), 0, "sql"),
            raw_kw("read_sql_query", Qualified(&["pandas", "read_sql_query"]), 0, "sql"),
        ],
        queries: &[],
        parameterised: "pass params: `pd.read_sql(\"SELECT * FROM t WHERE id = %(id)s\", con, params={\"id\": id})`",
        batched: "read all rows with one query",
    },
    DbLibrary {
        id: "mongoose",
        name: "Mongoose",
        lang: Lang::Js,
        modules: &["mongoose"],
        handles: &[&["mongoose", "model"], &["mongoose", "connect"], &["mongoose", "createConnection"]],
        handle_members: &[],
        derive: &["model"],
        raw_sql: &[],
        queries: &[
            list(
                "find",
                Limit {
                    keys: &["limit"],
                    methods: &["limit"],
                },
            ),
            one("findOne"),
            one("findById"),
            one("countDocuments"),
            list("aggregate", Limit::NONE),
            write("create"),
            write("insertMany"),
            write("updateOne"),
            write("updateMany"),
            write("deleteOne"),
            write("deleteMany"),
            write("findByIdAndUpdate"),
            write("findOneAndUpdate"),
        ],
        parameterised: "pass values as query objects, never as `$where` strings",
        batched: "load all documents at once with `find({ _id: { $in: ids } })` or `populate`; batch writes with `insertMany`/`bulkWrite`",
    },
    DbLibrary {
        id: "pymongo",
        name: "PyMongo / Motor",
        lang: Lang::Py,
        modules: &["pymongo", "motor"],
        handles: &[&["pymongo", "MongoClient"], &["motor", "motor_asyncio", "AsyncIOMotorClient"]],
        handle_members: &[],
        derive: &[],
        raw_sql: &[],
        queries: &[
            one("find_one"),
            one("count_documents"),
            write("insert_one"),
            write("insert_many"),
            write("update_one"),
            write("update_many"),
            write("delete_one"),
            write("delete_many"),
            write("replace_one"),
            write("find_one_and_update"),
        ],
        parameterised: "pass values in query documents",
        batched: "load all documents at once with `find({\"_id\": {\"$in\": ids}})`; batch writes with `insert_many`/`bulk_write`",
    },
];

/// Static methods of ORM model classes that query (Sequelize, Mongoose, TypeORM's
/// `BaseEntity`): `User.findByPk(id)`, `Order.find({ … })`. Matched only on a receiver that is
/// a model class (see [`crate::models::db_calls`]).
pub const JS_MODEL_STATICS: &[&str] = &[
    "findAll",
    "findOne",
    "findByPk",
    "findById",
    "find",
    "findAndCountAll",
    "count",
    "countDocuments",
    "create",
    "bulkCreate",
    "insertMany",
    "update",
    "updateOne",
    "updateMany",
    "destroy",
    "deleteOne",
    "deleteMany",
    "findByIdAndUpdate",
    "findOneAndUpdate",
    "findByIdAndDelete",
    "upsert",
    "exists",
    "aggregate",
    "findOneBy",
    "findBy",
    "increment",
    "decrement",
    "max",
    "min",
    "sum",
];

/// Model statics no other kind of class has: enough on their own, with a PascalCase receiver
/// imported from a module of the project. The others (`find`, `create`, `get`…) also need the
/// module to look like a models module ([`MODEL_MODULE_WORDS`]).
pub const DISTINCTIVE_MODEL_STATICS: &[&str] = &[
    "findAll",
    "findByPk",
    "findById",
    "findAndCountAll",
    "countDocuments",
    "bulkCreate",
    "insertMany",
    "findByIdAndUpdate",
    "findOneAndUpdate",
    "findByIdAndDelete",
    "deleteMany",
    "updateMany",
    "get_or_none",
    "get_by_id",
    "get_or_create",
];

/// Words in a module path that say it holds models (`./models`, `../entities/order.entity`,
/// `app/db/schema`).
pub const MODEL_MODULE_WORDS: &[&str] = &[
    "model",
    "models",
    "entity",
    "entities",
    "schema",
    "schemas",
    "db",
    "database",
    "orm",
    "table",
    "tables",
    "collection",
    "collections",
    "dao",
    "repository",
    "repositories",
];

/// Static methods of Python model classes that query (Peewee, Tortoise).
pub const PY_MODEL_STATICS: &[&str] =
    &["get", "get_or_none", "get_by_id", "create", "get_or_create"];

/// Modules whose model instances write on `.save()` / `.delete()`.
pub const ACTIVE_RECORD_MODULES: &[&str] = &[
    "sequelize",
    "sequelize-typescript",
    "mongoose",
    "typeorm",
    "django",
    "peewee",
    "tortoise",
    "mongoengine",
];

/// Terminal methods of TypeORM's query builder (a chain holding `createQueryBuilder`).
pub const QUERY_BUILDER_TERMINALS: &[&str] = &[
    "getMany",
    "getOne",
    "getOneOrFail",
    "getRawMany",
    "getRawOne",
    "getManyAndCount",
    "getCount",
    "getExists",
    "execute",
    "stream",
];

/// Methods of a query-builder handle that start a chain run when awaited (knex, Drizzle).
pub const BUILDER_ROOTS: &[&str] = &[
    "select",
    "insert",
    "update",
    "delete",
    "from",
    "with",
    "raw",
    "query",
    "selectDistinct",
];

/// Django QuerySet methods that run the query.
pub const DJANGO_EVALUATORS: &[&str] = &[
    "get",
    "first",
    "last",
    "count",
    "exists",
    "aggregate",
    "create",
    "update",
    "delete",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
    "in_bulk",
    "earliest",
    "latest",
    "contains",
    "explain",
    "aget",
    "afirst",
    "alast",
    "acount",
    "aexists",
    "acreate",
    "aupdate",
    "adelete",
    "aget_or_create",
];

/// Functions that materialise an iterable (a QuerySet evaluated by `list(qs)`).
pub const MATERIALISERS: &[&str] = &[
    "list", "len", "tuple", "set", "sorted", "bool", "sum", "any", "all",
];

/// SQLAlchemy `Query`/`Result` terminal methods (a chain holding `.query(…)`).
pub const SQLALCHEMY_TERMINALS: &[&str] = &[
    "first",
    "one",
    "one_or_none",
    "all",
    "count",
    "scalar",
    "get",
    "delete",
    "update",
];

/// SQLAlchemy session methods that talk to the database.
pub const SQLALCHEMY_SESSION_METHODS: &[&str] = &[
    "execute", "scalars", "scalar", "get", "merge", "refresh", "flush", "commit",
];

/// Method name heads of repository-style data access (`findById`, `loadCustomer`,
/// `fetch_orders`, `countItems`, `getUserById`: `get` counts with a `by` in the name).
pub const REPOSITORY_METHOD_HEADS: &[&str] = &["find", "load", "fetch", "count"];

/// Receiver name words of repositories and data services.
pub const REPOSITORY_RECEIVER_WORDS: &[&str] = &[
    "repository",
    "repo",
    "service",
    "store",
    "dao",
    "model",
    "models",
    "gateway",
];

/// Receiver name words that are not the database, even with a repository-like method.
pub const NOT_REPOSITORY_WORDS: &[&str] = &[
    "loader",
    "loaders",
    "cache",
    "logger",
    "log",
    "config",
    "settings",
    "http",
    "client",
    "api",
    "i18n",
    "translation",
    "validator",
    "mapper",
    "helper",
    "util",
    "utils",
    "formatter",
    "clock",
    "event",
    "events",
    "emitter",
    "queue",
    "storage",
    "s3",
    "file",
    "files",
    "fs",
    "map",
];

/// Words of iterables whose size is the schema's, not the data's (table names, columns,
/// migrations, Django content types): a query per table is not an N+1.
pub const SCHEMA_COLLECTION_WORDS: &[&str] = &[
    "table",
    "tables",
    "tablename",
    "tablenames",
    "column",
    "columns",
    "index",
    "indexes",
    "indices",
    "migration",
    "migrations",
    "schema",
    "schemas",
    "constraint",
    "constraints",
    "sequence",
    "sequences",
    "contenttype",
    "contenttypes",
    "partition",
    "partitions",
    "permission",
    "permissions",
];

/// Whether a name or expression text names schema objects ([`SCHEMA_COLLECTION_WORDS`], also
/// run together: `ContentType.objects.all()`, `tableNames`).
pub fn is_schema_sized_name(text: &str) -> bool {
    let w = words(text);
    w.iter()
        .any(|x| SCHEMA_COLLECTION_WORDS.contains(&x.as_str()))
        || w.windows(2)
            .any(|p| SCHEMA_COLLECTION_WORDS.contains(&format!("{}{}", p[0], p[1]).as_str()))
}

/// Calls that take the next element of a collection: a `while` loop that makes them walks a
/// collection (`while (queue.length) { const x = queue.pop(); … }`, `row = cur.fetchone()`).
pub const CONSUMING_METHODS: &[&str] = &[
    "pop",
    "shift",
    "popleft",
    "fetchone",
    "fetchmany",
    "next",
    "dequeue",
    "splice",
    "popitem",
];

/// Words of receivers that batch by design (DataLoader).
pub const BATCHING_RECEIVER_WORDS: &[&str] = &["loader", "loaders", "dataloader"];

/// Methods that run an array of operations as one batch (`prisma.$transaction([...])`).
pub const BATCH_METHODS: &[&str] = &["$transaction", "bulkWrite", "batch"];

/// Words of receivers that mark a database handle when its origin is not visible.
pub const DB_NAME_WORDS: &[&str] = &[
    "db",
    "database",
    "pool",
    "client",
    "conn",
    "connection",
    "knex",
    "sequelize",
    "prisma",
    "tx",
    "trx",
    "transaction",
    "cursor",
    "cur",
    "curs",
    "session",
    "engine",
    "runner",
    "manager",
    "datasource",
    "source",
    "sql",
    "pg",
    "postgres",
    "mysql",
    "sqlite",
    "repository",
    "repo",
    "queryrunner",
    "dbclient",
    "pgpool",
    "dbpool",
    "dbconn",
];

/// Words that rule out a database even when a name has a database word (`graphqlClient`,
/// `esClient`, `httpClient`, `redisPool`, `sessionStorage`…).
pub const NOT_DB_NAME_WORDS: &[&str] = &[
    "graphql",
    "gql",
    "apollo",
    "urql",
    "relay",
    "es",
    "elastic",
    "elasticsearch",
    "opensearch",
    "search",
    "algolia",
    "meili",
    "typesense",
    "http",
    "https",
    "axios",
    "fetch",
    "api",
    "rest",
    "soap",
    "ldap",
    "redis",
    "memcached",
    "cache",
    "s3",
    "aws",
    "gcs",
    "storage",
    "kafka",
    "queue",
    "mq",
    "amqp",
    "rabbit",
    "sqs",
    "sns",
    "pubsub",
    "stripe",
    "slack",
    "twilio",
    "sendgrid",
    "mail",
    "smtp",
    "grpc",
    "ws",
    "websocket",
    "socket",
    "mongo",
    "mongoose",
    "dynamo",
    "dynamodb",
    "firestore",
    "firebase",
    "influx",
    "neo4j",
    "cypher",
    "sparql",
    "ssh",
    "ftp",
    "browser",
    "page",
    "puppeteer",
    "playwright",
    "oauth",
    "auth",
    "openai",
    "llm",
    "vector",
    "pinecone",
];

/// Whether a receiver name (identifier or property) names a relational database handle.
pub fn is_db_name(name: &str) -> bool {
    let w = words(name);
    if w.iter().any(|x| NOT_DB_NAME_WORDS.contains(&x.as_str())) {
        return false;
    }
    let joined = w.concat();
    w.iter().any(|x| DB_NAME_WORDS.contains(&x.as_str()))
        || DB_NAME_WORDS.contains(&joined.as_str())
}

/// How a handle was recognised.
#[derive(Debug, Clone, Copy)]
pub enum HandleMatch {
    /// Its origin in the file names the library.
    Origin(&'static DbLibrary),
    /// Only its name says it is a database.
    Name,
}

/// The libraries of a language.
pub fn libraries(lang: Lang) -> impl Iterator<Item = &'static DbLibrary> {
    LIBRARIES.iter().filter(move |l| l.lang == lang)
}

fn matches_qualified(q: &[String], pattern: &[&str]) -> bool {
    q.len() == pattern.len() && q.iter().zip(pattern).all(|(a, b)| a == b)
}

/// The library a value comes from, by its origin: a constructor or factory call, a handle
/// import (`from django.db import connection`), or a method of another handle that derives
/// one (`pool.connect()`, `conn.cursor()`), following constant bindings a few steps.
pub fn handle_origin(value: Node<'_>, ctx: &FileCtx<'_>) -> Option<&'static DbLibrary> {
    let lang = Lang::of(ctx.language()?);
    let mut v = value;
    for _ in 0..8 {
        match v.kind() {
            "await_expression"
            | "await"
            | "parenthesized_expression"
            | "non_null_expression"
            | "as_expression" => {
                v = v.named_child(0)?;
            }
            "identifier" | "member_expression" | "attribute" => {
                if let Some(member) = v
                    .child_by_field_name("property")
                    .or_else(|| v.child_by_field_name("attribute"))
                {
                    let name = ctx.text(member);
                    if let Some(lib) = libraries(lang).find(|l| l.handle_members.contains(&name)) {
                        return Some(lib);
                    }
                }
                if let Some(q) = ctx.qualified_name(v) {
                    if let Some(lib) =
                        libraries(lang).find(|l| l.handles.iter().any(|h| matches_qualified(&q, h)))
                    {
                        return Some(lib);
                    }
                }
                if v.kind() != "identifier" {
                    return None;
                }
                v = ctx.const_value(v)?;
            }
            "new_expression" | "call_expression" | "call" => {
                let callee = v
                    .child_by_field_name("constructor")
                    .or_else(|| v.child_by_field_name("function"))?;
                if let Some(q) = ctx.qualified_name(callee) {
                    if let Some(lib) =
                        libraries(lang).find(|l| l.handles.iter().any(|h| matches_qualified(&q, h)))
                    {
                        return Some(lib);
                    }
                }
                // `pool.connect()`, `conn.cursor()`: the receiver's library.
                let method = callee
                    .child_by_field_name("property")
                    .or_else(|| callee.child_by_field_name("attribute"))
                    .map(|p| ctx.text(p))?;
                let object = callee.child_by_field_name("object")?;
                let lib = handle_origin(object, ctx)?;
                return lib.derive.contains(&method).then_some(lib);
            }
            _ => return None,
        }
    }
    None
}

/// Whether a receiver is a database handle, and how that is known.
pub fn db_handle(receiver: Node<'_>, ctx: &FileCtx<'_>) -> Option<HandleMatch> {
    if let Some(lib) = handle_origin(receiver, ctx) {
        return Some(HandleMatch::Origin(lib));
    }
    // `x.cursor()` / `getManager()` as a receiver: the method or function name decides.
    let name_node = match receiver.kind() {
        "identifier" | "property_identifier" => Some(receiver),
        "member_expression" | "attribute" => receiver
            .child_by_field_name("property")
            .or_else(|| receiver.child_by_field_name("attribute")),
        "call_expression" | "call" => {
            let f = receiver.child_by_field_name("function")?;
            match f.kind() {
                "identifier" => Some(f),
                _ => f
                    .child_by_field_name("property")
                    .or_else(|| f.child_by_field_name("attribute")),
            }
        }
        "await_expression" | "await" | "parenthesized_expression" => {
            return db_handle(receiver.named_child(0)?, ctx)
        }
        _ => None,
    }?;
    let name = ctx.text(name_node);
    // A local whose value is visible and is not a handle is not one, whatever its name.
    if receiver.kind() == "identifier" {
        if let Some(b) = ctx.resolve(receiver) {
            let binding = ctx.binding(b);
            if let Some(v) = binding.value {
                if !binding.destructured
                    && !matches!(
                        v.kind(),
                        "await_expression"
                            | "await"
                            | "call_expression"
                            | "call"
                            | "member_expression"
                            | "attribute"
                            | "identifier"
                    )
                {
                    return None;
                }
            }
        }
    }
    let configured = ctx.options().contains(DB_RECEIVERS_OPTION, name);
    let name = name.trim_start_matches(['$', '_']);
    (configured
        || is_db_name(name)
        || matches!(name, "getManager" | "getConnection" | "cursor" | "manager"))
    .then_some(HandleMatch::Name)
}

/// The database rules' option naming the project's own database handles (`dal`, `store`),
/// besides names such as `db`, `pool`, `knex`, `prisma`, `cursor`.
pub const DB_RECEIVERS_OPTION: &str = "db-receivers";
/// `n-plus-one-query`'s option naming the project's own methods that make a database round
/// trip (`fetchOne`, `runQuery`), on any receiver.
pub const DB_METHODS_OPTION: &str = "db-methods";

/// The option spec of [`DB_RECEIVERS_OPTION`], shared by the database rules.
pub const DB_RECEIVERS_SPEC: backlint_engine::OptionSpec = backlint_engine::OptionSpec {
    name: DB_RECEIVERS_OPTION,
    doc: "names of the project's own database handles (a variable or property the queries are called on), besides db, pool, knex, prisma, cursor…",
    example: "[\"dal\", \"warehouse\"]",
};

/// A call that sends raw SQL text to the database.
#[derive(Debug, Clone)]
pub struct RawSqlCall<'t> {
    /// The library, when the file shows it.
    pub library: Option<&'static DbLibrary>,
    pub method: &'static str,
    /// The arguments holding SQL text.
    pub sql: Vec<Node<'t>>,
    /// Recognised by the receiver's name only, on a method many non-database APIs share
    /// (`query`, `execute`…): rules should ask for more evidence.
    pub weak: bool,
}

/// Whether `call` is a raw-SQL call, per the tables above.
pub fn raw_sql_call<'t>(call: Node<'t>, ctx: &FileCtx<'t>) -> Option<RawSqlCall<'t>> {
    let lang = Lang::of(ctx.language()?);
    let callee = call.child_by_field_name("function")?;
    let args = call.child_by_field_name("arguments")?;
    // Tagged templates (`sql\`…\``) parameterise; they are not raw calls.
    if args.kind() == "template_string" {
        return None;
    }
    let (method, receiver) = match callee.kind() {
        "identifier" => (ctx.text(callee), None),
        "member_expression" | "attribute" => (
            ctx.text(
                callee
                    .child_by_field_name("property")
                    .or_else(|| callee.child_by_field_name("attribute"))?,
            ),
            callee.child_by_field_name("object"),
        ),
        _ => return None,
    };
    let mut qualified: Option<Option<Vec<String>>> = None;
    let mut handle: Option<Option<HandleMatch>> = None;
    // A match by the receiver's name only is kept while a stronger one (by origin, qualified
    // name or a distinctive method) may still come: `Prisma.raw` is Prisma's, not knex's `raw`
    // on something named like a database.
    let mut by_name: Option<RawSqlCall<'t>> = None;
    for lib in libraries(lang) {
        for entry in lib.raw_sql.iter().filter(|e| e.method == method) {
            let (library, weak) = match entry.receiver {
                Any => (Some(lib), false),
                Qualified(pattern) => {
                    let q = qualified.get_or_insert_with(|| ctx.qualified_name(callee));
                    match q {
                        Some(q) if matches_qualified(q, pattern) => (Some(lib), false),
                        _ => continue,
                    }
                }
                Handle => {
                    let Some(r) = receiver else { continue };
                    match handle.get_or_insert_with(|| db_handle(r, ctx)) {
                        Some(HandleMatch::Origin(l)) if std::ptr::eq(*l, lib) => (Some(lib), false),
                        Some(HandleMatch::Origin(_)) => continue,
                        Some(HandleMatch::Name) => (None, is_generic_method(entry.method)),
                        None => continue,
                    }
                }
            };
            let sql = sql_args(args, entry.arg, ctx);
            if sql.is_empty() {
                continue;
            }
            let found = RawSqlCall {
                library,
                method: entry.method,
                sql,
                weak,
            };
            if library.is_some() {
                return Some(found);
            }
            by_name.get_or_insert(found);
        }
    }
    by_name
}

/// Methods that many APIs besides databases have.
fn is_generic_method(method: &str) -> bool {
    matches!(
        method,
        "query"
            | "execute"
            | "executemany"
            | "prepare"
            | "exec"
            | "fetch"
            | "fetchrow"
            | "fetchval"
            | "raw"
    )
}

fn sql_args<'t>(args: Node<'t>, arg: SqlArg, ctx: &FileCtx<'t>) -> Vec<Node<'t>> {
    let mut c = args.walk();
    let all: Vec<Node<'t>> = args
        .named_children(&mut c)
        .filter(|n| n.kind() != "comment")
        .collect();
    // `name=value` keyword arguments (Python).
    let keyword = |n: &Node<'t>| -> Option<(&'t str, Node<'t>)> {
        if n.kind() != "keyword_argument" {
            return None;
        }
        Some((
            ctx.text(n.child_by_field_name("name")?),
            n.child_by_field_name("value")?,
        ))
    };
    match arg {
        SqlArg::Positional(i, kw) => {
            let positional = all.iter().filter(|n| keyword(n).is_none()).nth(i).copied();
            let by_name = all
                .iter()
                .filter_map(keyword)
                .find(|(k, _)| !kw.is_empty() && *k == kw)
                .map(|(_, v)| v);
            positional.or(by_name).into_iter().collect()
        }
        SqlArg::Keywords(names) => all
            .iter()
            .filter_map(keyword)
            .filter(|(k, _)| names.contains(k))
            .map(|(_, v)| v)
            .collect(),
    }
}

/// Chain methods that bound how many rows a list query returns, in any library: `.limit(n)`,
/// `.take(n)`, knex `.first()`, SQLAlchemy `.one()`, Flask-SQLAlchemy `.paginate()`.
pub const LIMITING_METHODS: &[&str] = &[
    "limit",
    "take",
    "first",
    "top",
    "slice",
    "paginate",
    "forPage",
    "page",
    "one",
    "one_or_none",
    "scalar",
    "scalar_one",
    "scalar_one_or_none",
    "first_or_404",
    "one_or_404",
    "get_or_404",
    "get",
    "fetchone",
    "fetchmany",
    "getOne",
    "getOneOrFail",
    "getRawOne",
    "findFirst",
    "findOne",
    "limitToFirst",
    "last",
    "earliest",
    "latest",
    "in_bulk",
];

/// Chain methods that stream rows instead of loading them all: Mongoose `.cursor()`, Django
/// `.iterator()`, SQLAlchemy `.yield_per(n)`, knex `.stream()`.
pub const STREAMING_METHODS: &[&str] = &[
    "cursor",
    "stream",
    "pipe",
    "iterator",
    "aiterator",
    "yield_per",
    "eachAsync",
    "partitions",
    "stream_scalars",
    "getRawStream",
];

/// Chain methods that aggregate (one row, or one per group key): `.count()`, `.sum('x')`,
/// Django `.aggregate(…)`, `.exists()`.
pub const AGGREGATE_METHODS: &[&str] = &[
    "count",
    "countDistinct",
    "sum",
    "sumDistinct",
    "avg",
    "avgDistinct",
    "min",
    "max",
    "aggregate",
    "exists",
    "getCount",
    "getExists",
    "countDocuments",
    "estimatedDocumentCount",
    "acount",
    "aexists",
    "aaggregate",
];

/// Builder chain methods that write (a knex chain with `.insert(…)` returns no rows to page).
pub const BUILDER_WRITE_METHODS: &[&str] = &[
    "insert",
    "update",
    "del",
    "delete",
    "upsert",
    "increment",
    "decrement",
    "truncate",
    "onConflict",
    "merge",
    "into",
    "values",
    "set",
    "returning",
    "createTable",
    "dropTable",
    "alterTable",
];

/// Filter and lookup names that select at most one row per value: `where: { id }`,
/// `filter(pk=…)`, `{ _id: { $in: ids } }`, `User.id.in_(ids)` (one row per listed id, and the
/// list is the caller's).
/// Besides primary keys, the columns that are unique by convention (`slug`, `email`,
/// `username`).
pub const KEY_FIELDS: &[&str] = &[
    "id", "_id", "pk", "uuid", "guid", "slug", "email", "username",
];

/// Django lookups on a key field (`id__in`, `pk__in`, `uuid__exact`).
pub const KEY_LOOKUP_SUFFIXES: &[&str] = &["", "__in", "__exact", "__iexact"];

/// Whether a filter key (`id`, `pk__in`, `users.id`) names a primary or unique key.
pub fn is_key_field(name: &str) -> bool {
    let name = name.trim_matches(|c| c == '"' || c == '\'' || c == '`');
    let column = name.rsplit('.').next().unwrap_or(name);
    KEY_LOOKUP_SUFFIXES.iter().any(|s| {
        column
            .strip_suffix(s)
            .is_some_and(|base| KEY_FIELDS.contains(&base))
    })
}

/// Django QuerySet methods that return another QuerySet of the same rows (refining it,
/// without running it).
pub const QUERYSET_REFINERS: &[&str] = &[
    "all",
    "filter",
    "exclude",
    "order_by",
    "select_related",
    "prefetch_related",
    "values",
    "values_list",
    "only",
    "defer",
    "distinct",
    "annotate",
    "alias",
    "using",
    "select_for_update",
    "reverse",
    "extra",
    "union",
    "intersection",
    "difference",
    "none",
];

/// Django generic views and DRF views that list a whole QuerySet unless paginated.
pub const LIST_VIEW_BASES: &[&str] = &[
    "ListAPIView",
    "ListCreateAPIView",
    "ModelViewSet",
    "ReadOnlyModelViewSet",
    "ListModelMixin",
];

/// Django's generic `ListView` (paginated by `paginate_by`).
pub const DJANGO_LIST_VIEW_BASES: &[&str] = &["ListView", "BaseListView"];

/// Serializer-like calls that evaluate a whole QuerySet when given `many=True`
/// (DRF serializers, by their class name's suffix).
pub const SERIALIZER_SUFFIXES: &[&str] = &["Serializer", "Schema"];

/// `Model.find(…)` on a model class whose library the file does not show: a Mongoose query
/// (`.limit()`, options `limit`) or a TypeORM `BaseEntity` find (`take`); either limit counts.
pub static MODEL_FIND_EITHER: QueryMethod = QueryMethod {
    method: "find",
    kind: QueryKind::Read,
    list: true,
    limit: Limit {
        keys: &["take", "limit"],
        methods: &["limit"],
    },
};

/// The table entry of a query method: the library's own, or (for a handle known only by its
/// name) the first library of the language that has the method.
pub fn query_entry(
    lang: Lang,
    library: Option<&'static DbLibrary>,
    method: &str,
) -> Option<&'static QueryMethod> {
    match library {
        Some(l) => l.queries.iter().find(|q| q.method == method),
        None => libraries(lang).find_map(|l| l.queries.iter().find(|q| q.method == method)),
    }
}

/// Folders of code that runs offline, once, against a database the developer controls:
/// schema and data migrations, seeders (`knex/seeds`, `data/seeders`, Alembic `versions`).
pub const OFFLINE_SCRIPT_DIRS: &[&str] = &["migrations", "migration", "seeders", "seeds", "seed"];

/// Whether a path lies in an [`OFFLINE_SCRIPT_DIRS`] folder.
pub fn is_offline_script_path(path: &str) -> bool {
    path.split('/')
        .rev()
        .skip(1)
        .any(|d| OFFLINE_SCRIPT_DIRS.contains(&d))
}

/// Names of knex instances called with a table name (`knex('users')`, `this.db('orders')`,
/// `trx('items')`), when the file does not show where the instance comes from.
pub const CALLABLE_BUILDER_NAMES: &[&str] = &[
    "knex", "db", "trx", "tx", "database", "kx", "qb", "pg", "mysql", "sqlite",
];

/// Whether some library of `lang` has a list query method of this name (a cheap gate before
/// the receiver is examined).
pub fn is_list_method(lang: Lang, method: &str) -> bool {
    libraries(lang).any(|l| l.queries.iter().any(|q| q.list && q.method == method))
}
