namespace Clientele.Storage.Sqlite;

/// <summary>SQLite's <c>customers</c> table: the shared columns plus the folded copies its indexes and trigram table use.</summary>
internal static class SqliteCustomerColumns
{
    public static readonly CustomerTable Table = new(
    [
        CustomerTable.Folded("name_ci", r => r.Name),
        CustomerTable.Folded("email_ci", r => r.Email),
        CustomerTable.Folded("company_ci", r => r.Company),
        CustomerTable.Folded("user_id_ci", r => r.UserId),
        CustomerTable.Folded("phone_ci", r => r.Phone),
    ]);
}
