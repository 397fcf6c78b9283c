using System;
using System.Linq;
using Microsoft.AspNetCore.Http;

namespace Acefone.Simulator;

/// <summary>What the request log keeps of a request's headers beyond Authorization and User-Agent.</summary>
internal static class RequestLog
{
    /// <summary>X-* headers as "Name: value" lines in arrival order; null when there are none.</summary>
    internal static string? ExtraHeaders(IHeaderDictionary headers)
    {
        string[] lines = headers
            .Where(h => h.Key.StartsWith("X-", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Select(v => h.Key + ": " + v))
            .ToArray();
        return lines.Length == 0 ? null : string.Join("\n", lines);
    }
}
