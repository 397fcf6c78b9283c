using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>Completes Get-AcefoneDepartment -Name with the department names.</summary>
    public sealed class DepartmentNameCompleter : SessionArgumentCompleter
    {
        private static readonly char[] NeedsQuotes = { ' ', '\'', '"', '$', '`', ';', ',', '(', ')', '{', '}', '@', '#', '&', '|' };

        private protected override IEnumerable<CompletionResult>? CompleteFrom(AcefoneSession session, string? wordToComplete)
        {
            IReadOnlyList<AcefoneDepartment>? departments = CompletionData.Departments.Get(session);
            return departments == null ? null : Complete(departments, wordToComplete);
        }

        internal static IEnumerable<CompletionResult> Complete(IReadOnlyList<AcefoneDepartment> departments, string? wordToComplete)
        {
            (string word, char quote) = CompletionData.Unquote(wordToComplete);
            var results = new List<CompletionResult>();
            foreach (AcefoneDepartment department in departments)
            {
                if (string.IsNullOrEmpty(department.Name) || !CompletionData.StartsWithWord(department.Name, word)) continue;
                string name = department.Name!;
                // Quoted when the user began a quote or the name needs one (spaces, quotes, characters PowerShell would read).
                bool typedQuote = !string.IsNullOrEmpty(wordToComplete) && (wordToComplete![0] == '\'' || wordToComplete[0] == '"');
                string text = typedQuote || name.IndexOfAny(NeedsQuotes) >= 0 ? CompletionData.Quote(name, quote) : name;
                results.Add(new CompletionResult(text, name, CompletionResultType.ParameterValue,
                    $"{name}: intercom {department.Intercom ?? "none"}, {department.Agents.Count} agents"));
            }
            return results;
        }
    }
}
