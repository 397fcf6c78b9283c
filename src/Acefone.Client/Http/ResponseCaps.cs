using System.Net.Http;

namespace Acefone.Client
{
    /// <summary>How much of an answer is read, per kind of endpoint: a listing can be megabytes, a status answer never is.</summary>
    internal static class ResponseCaps
    {
        /// <summary>{success, message} answers, logins and refreshes.</summary>
        internal const int Status = 4 * 1024 * 1024;
        /// <summary>Live calls, users, departments: an 8,000-call live list is about 5 MB.</summary>
        internal const int Listing = 64 * 1024 * 1024;
    }
}
