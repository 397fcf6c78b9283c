using System.Collections.Generic;

namespace Acefone.Client
{
    /// <summary>
    /// One department of GET /v1/departments. <see cref="Intercom"/> is the number a transfer to the department
    /// dials, so a department piped into Invoke-AcefoneTransfer -CallId transfers the call there, on purpose.
    /// </summary>
    public sealed class AcefoneDepartment
    {
        internal AcefoneDepartment(string? departmentId, IReadOnlyList<AcefoneDepartmentAgent> agents)
        {
            DepartmentId = departmentId;
            Agents = agents;
        }

        /// <summary>The API's <c>id</c>, kept as text as the API sends it.</summary>
        public string? DepartmentId { get; }
        public string? Name { get; internal set; }
        public string? Description { get; internal set; }
        public string? RingStrategy { get; internal set; }
        public string? Intercom { get; internal set; }
        public IReadOnlyList<AcefoneDepartmentAgent> Agents { get; }

        public override string ToString() => Name ?? DepartmentId ?? string.Empty;
    }
}
