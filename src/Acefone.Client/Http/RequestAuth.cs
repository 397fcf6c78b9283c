using System.Net.Http;

namespace Acefone.Client
{
    internal enum RequestAuth
    {
        /// <summary>The session's current token, renewed as needed.</summary>
        Session,
        /// <summary>No Authorization header (login).</summary>
        None,
        /// <summary>A specific token (refresh, logout).</summary>
        Explicit,
    }
}
