using System;
using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>Lists departments (GET /v1/departments) with their agents, optionally by name.</summary>
    [Cmdlet(VerbsCommon.Get, "AcefoneDepartment")]
    [OutputType(typeof(AcefoneDepartment))]
    public sealed class GetAcefoneDepartmentCommand : AcefoneCmdlet
    {
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DepartmentNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        protected override void EndProcessing()
        {
            AcefoneSession session = ResolveSession();
            var names = new NameFilter(Name);
            try
            {
                foreach (AcefoneDepartment department in Wait(session.GetDepartmentsAsync(Observer, StopToken)))
                {
                    if (names.Matches(department.Name)) WriteObject(department);
                }
            }
            catch (AcefoneException ex)
            {
                WriteFailure(ex, Name);
                return;
            }
            foreach (string missing in names.Unmatched)
            {
                var error = new ItemNotFoundException($"No department is named '{missing}'.");
                WriteError(new ErrorRecord(error, "DepartmentNotFound", ErrorCategory.ObjectNotFound, missing));
            }
        }
    }
}
