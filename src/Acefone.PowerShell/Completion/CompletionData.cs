using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>The fetches the completers share, and the session a completion is for.</summary>
    internal static class CompletionData
    {
        internal static readonly CompletionSource<IReadOnlyList<AcefoneUser>> Users = new CompletionSource<IReadOnlyList<AcefoneUser>>(
            async (session, token) => await session.GetUsersAsync(null, null, token).ConfigureAwait(false), TimeSpan.FromMinutes(2));

        internal static readonly CompletionSource<IReadOnlyList<AcefoneDepartment>> Departments = new CompletionSource<IReadOnlyList<AcefoneDepartment>>(
            (session, token) => session.GetDepartmentsAsync(null, token), TimeSpan.FromMinutes(2));

        // Live calls change by the second, but Tab must not spend the account's shared rate: one listing per few seconds.
        internal static readonly CompletionSource<IReadOnlyList<AcefoneLiveCall>> LiveCalls = new CompletionSource<IReadOnlyList<AcefoneLiveCall>>(
            async (session, token) => await session.GetLiveCallsAsync(null, null, token).ConfigureAwait(false), TimeSpan.FromSeconds(3));

        /// <summary>-Session as typed on the command line when PowerShell could evaluate it, else the runspace's default.</summary>
        internal static AcefoneSession? SessionFor(IDictionary? fakeBoundParameters)
        {
            object? given = fakeBoundParameters?["Session"];
            if (given is PSObject wrapped) given = wrapped.BaseObject;
            AcefoneSession? session = given as AcefoneSession ?? DefaultSessionStore.Get();
            return session == null || session.IsClosed ? null : session;
        }

        /// <summary>The word as typed, without its quotes, and the quote to put around what is inserted.</summary>
        internal static (string Word, char Quote) Unquote(string? wordToComplete)
        {
            string typed = wordToComplete ?? string.Empty;
            char quote = typed.Length > 0 && typed[0] == '"' ? '"' : '\'';
            return (typed.Trim('\'', '"').Trim(), quote);
        }

        /// <summary>Quoted, so an id such as 0502842370097 or 1714657799.11930963 is never read as a number.</summary>
        internal static string Quote(string value, char quote) =>
            quote == '"' ? "\"" + value.Replace("\"", "`\"") + "\"" : "'" + value.Replace("'", "''") + "'";

        /// <summary>The text starts with the word, or one of its words does ("lead" finds "Team Lead 1").</summary>
        internal static bool StartsWithWord(string? text, string word)
        {
            if (word.Length == 0) return true;
            if (string.IsNullOrEmpty(text)) return false;
            if (text!.StartsWith(word, StringComparison.OrdinalIgnoreCase)) return true;
            for (int i = 1; i < text.Length; i++)
            {
                if (text[i - 1] == ' ' && string.Compare(text, i, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0) return true;
            }
            return false;
        }
    }
}
