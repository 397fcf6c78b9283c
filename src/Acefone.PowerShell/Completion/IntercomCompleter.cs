using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Completes -Intercom with the department intercoms (GET /v1/departments) and the agents' extensions (GET /v1/users),
    /// where the account exposes them. Matches the start of the number, or of the department's or agent's name.
    /// </summary>
    public sealed class IntercomCompleter : SessionArgumentCompleter
    {
        private protected override IEnumerable<CompletionResult>? CompleteFrom(AcefoneSession session, string? wordToComplete)
        {
            // Both fetches start before either is waited for, and share one budget.
            var fetchDepartments = CompletionData.Departments.Begin(session);
            var fetchUsers = CompletionData.Users.Begin(session);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            IReadOnlyList<AcefoneDepartment>? departments = CompletionSource<IReadOnlyList<AcefoneDepartment>>.Await(fetchDepartments, CompletionSource<IReadOnlyList<AcefoneDepartment>>.Budget);
            IReadOnlyList<AcefoneUser>? users = CompletionSource<IReadOnlyList<AcefoneUser>>.Await(fetchUsers, CompletionSource<IReadOnlyList<AcefoneUser>>.Budget - waited.Elapsed);
            return Complete(departments ?? Array.Empty<AcefoneDepartment>(), users ?? Array.Empty<AcefoneUser>(), wordToComplete);
        }

        internal static IEnumerable<CompletionResult> Complete(IReadOnlyList<AcefoneDepartment> departments, IReadOnlyList<AcefoneUser> users, string? wordToComplete)
        {
            (string word, char quote) = CompletionData.Unquote(wordToComplete);
            var results = new List<CompletionResult>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (AcefoneDepartment department in departments)
            {
                string? intercom = department.Intercom?.Trim();
                if (string.IsNullOrEmpty(intercom) || !seen.Add(intercom!)) continue;
                string name = department.Name ?? "department " + department.DepartmentId;
                if (!intercom!.StartsWith(word, StringComparison.Ordinal) && !CompletionData.StartsWithWord(name, word)) continue;
                results.Add(new CompletionResult(CompletionData.Quote(intercom, quote), $"{intercom} ({name} department)",
                    CompletionResultType.ParameterValue, $"Department {name}: {department.Agents.Count} agents"));
            }
            foreach (AcefoneUser user in users)
            {
                string? extension = user.Extension?.Trim();
                if (!user.HasAgent || string.IsNullOrEmpty(extension) || !seen.Add(extension!)) continue;
                string name = user.Name ?? "user " + user.UserId.ToString(CultureInfo.InvariantCulture);
                if (!extension!.StartsWith(word, StringComparison.Ordinal) && !CompletionData.StartsWithWord(name, word)) continue;
                string status = user.AgentStatus?.ToString() ?? "status unknown";
                results.Add(new CompletionResult(CompletionData.Quote(extension, quote), $"{extension} ({name}, extension)",
                    CompletionResultType.ParameterValue, $"Extension of {name} ({status})"));
            }
            return results;
        }
    }
}
