using Clientele.Customers;
using Clientele.Search;
using Npgsql;

namespace Clientele.Storage.Postgres;

/// <summary>
/// Search on PostgreSQL: every text field has a folded <c>*_ci</c> copy; <c>~</c> is a <c>LIKE</c>, which the
/// <c>pg_trgm</c> GIN indexes on name, email and company serve; <c>customData</c> is read from its folded jsonb copy.
/// </summary>
internal sealed class PostgresSearchSql(NpgsqlCommand command) : SearchSql(command)
{
    /// <summary>
    /// The statement reading a page of <paramref name="selectList"/> (customers <c>c</c>); the caller binds
    /// <c>@limit</c> and <c>@offset</c>.
    /// </summary>
    public static string Page(NpgsqlCommand command, long accountId, CustomerSearch search, string selectList)
    {
        var sql = new PostgresSearchSql(command);
        if (search.Page.Sort is null or CustomerField.Id && AllTags(search) is [var first, .. var rest])
        {
            // The first tag's links in id order from their index, each tested against the customer's own links: a
            // page stops at its limit, where grouping every link of the tags by customer read and hashed them all
            // (a million customers, two common tags: 550,000 links, seconds).
            sql.BindAccount(accountId);
            return $"SELECT {selectList} FROM customer_tags ct0 JOIN customers c ON c.id = ct0.customer_id " +
                   $"WHERE ct0.tag_id = {sql.TagId(first)} AND c.account_id = @account_id " +
                   $"AND {sql.HoldsAll("ct0.customer_id", rest, sql.Bind((long)rest.Length))} " +
                   $"ORDER BY ct0.customer_id {(search.Page.Descending ? "DESC" : "ASC")} LIMIT @limit OFFSET @offset";
        }
        return $"SELECT {selectList} FROM customers c WHERE {sql.Condition(accountId, search)} " +
               $"ORDER BY {OrderBy(search.Page)} LIMIT @limit OFFSET @offset";
    }

    public static string Count(NpgsqlCommand command, long accountId, CustomerSearch search)
    {
        var sql = new PostgresSearchSql(command);
        if (AllTags(search) is not [var first, var second, .. var rest])
        {
            return sql.CountStatement(accountId, search);
        }
        // The links of two of the tags joined on the customer, both read in customer order from their index (a
        // merge or a hash join, its estimate that of one tag's links since the ids are known before the scans), the
        // customers in both tested against any further names. A tag's links are customers of its account.
        sql.BindAccount(accountId);
        var count = sql.Bind((long)rest.Length);
        return $"SELECT count(*) FROM customer_tags ct0 JOIN customer_tags ct1 ON ct1.customer_id = ct0.customer_id " +
               $"WHERE ct0.tag_id = {sql.TagId(first)} AND ct1.tag_id = {sql.TagId(second)} " +
               $"AND ({count} = 0 OR {sql.HoldsAll("ct0.customer_id", rest, count)})";
    }

    /// <summary>
    /// The id of the account's tag named <paramref name="name"/> (null when there is none, which no link matches),
    /// found once before the links are read, so an index scan of them is keyed, and in customer order.
    /// </summary>
    private string TagId(string name) => $"(SELECT id FROM tags WHERE account_id = @account_id AND name = {Bind(name)})";

    /// <summary>The count is spread over slots (see the migration); their sum is the account's.</summary>
    protected override string AccountSize => "SELECT coalesce(sum(customers), 0)::bigint FROM customer_counts WHERE account_id = @account_id";

    /// <summary>The same order as SQLite's: text by its bytes (<c>COLLATE "C"</c>) whatever the database's collation.</summary>
    private static string OrderBy(CustomerListQuery page) => OrderBy(page, (field, direction) =>
        $"c.{CustomerTable.Of(field)}{(field.Kind() == CustomerFieldKind.Text ? " COLLATE \"C\"" : "")} {direction} NULLS LAST");

    protected override string Folded(CustomerField field) => $"c.{CustomerTable.Of(field)}_ci";

    protected override string Contains(CustomerField field, string folded, string needle) =>
        $"{folded} LIKE {Bind("%" + EscapeLike(needle) + "%")}";

    protected override string CustomData(CustomDataClause clause)
    {
        var value = $"(c.custom_data_ci -> {Bind(clause.Property)})";
        if (clause.Value is null)
        {
            return clause.Operator == FilterOperator.Equal ? $"{value} IS NULL" : $"{value} IS NOT NULL";
        }
        // CASE, not AND: only a value known to be a number may be cast to one.
        var test = clause.Value switch
        {
            bool flag => $"{value} = '{(flag ? "true" : "false")}'::jsonb",
            double number => $"CASE WHEN jsonb_typeof({value}) = 'number' THEN ({value})::float8 {NumberComparison(clause.Operator)} {Bind(number)} ELSE false END",
            _ => clause.Operator is FilterOperator.Contains or FilterOperator.NotContains
                ? $"(jsonb_typeof({value}) = 'string' AND strpos({value} #>> '{{}}', {Bind(clause.Value)}) > 0)"
                : $"(jsonb_typeof({value}) = 'string' AND {value} #>> '{{}}' = {Bind(clause.Value)})",
        };
        return IsNegative(clause.Operator) ? $"NOT coalesce({test}, false)" : $"coalesce({test}, false)";
    }

    /// <summary>A <c>~</c> of three characters or more is found through the field's <c>pg_trgm</c> index (name, email, company).</summary>
    protected override bool IsIndexed(FilterClause clause) =>
        base.IsIndexed(clause) || clause is FieldClause { Operator: FilterOperator.Contains, Value: string needle } field
            && field.Field is CustomerField.Name or CustomerField.Email or CustomerField.Company && needle.EnumerateRunes().Count() >= 3;

    /// <summary>
    /// PostgreSQL ORs the bitmaps of the indexes, where the union of their ids is joined back to the account's
    /// customers, which it may do by walking the account.
    /// </summary>
    protected override bool OrsIndexes => true;

    /// <summary>
    /// A semi-join per set: PostgreSQL hashes one set and fetches the customers of the other by id, where it
    /// plans an <c>INTERSECT</c> as unknown in size and scans the whole table for it.
    /// </summary>
    protected override string InEvery(IReadOnlyList<string> sets) => string.Join(" AND ", sets.Select(set => $"c.id IN ({set})"));

    protected override string NameIs(IReadOnlyList<string> names) => $"t.name = ANY({Bind(names.ToArray())})";

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
