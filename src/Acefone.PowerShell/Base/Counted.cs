using System.Globalization;

namespace Acefone.PowerShell
{
    /// <summary>A count with its noun in the right number: "1 row", "2 rows" (a user read "1 rows skipped").</summary>
    internal static class Counted
    {
        internal static string Of(long count, string one, string many) =>
            count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? one : many);

        internal static string Rows(long count) => Of(count, "row", "rows");
    }
}
