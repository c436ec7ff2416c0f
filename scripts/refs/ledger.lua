--- A consultant's reference extractor for the customer's LedgerReconciliation custom resource
--- (CRD `ledgerreconciliations.payments.contoso.com`). Standby's walker knows the CRD but not what
--- the resource's spec points at; this teaches it:
---
---   spec.credentialsSecretRef.name -> Secret (same namespace)
---   spec.statefulSetName           -> StatefulSet (same namespace)
---
--- Load it with `require "refs.ledger"` from a runbook in scripts/.
local standby = require "standby"

standby.refs.register{
  kind = "LedgerReconciliation",
  group = "payments.contoso.com",
  ---@param obj table the custom resource's document
  ---@param ctx {id: string, cluster: string, namespace: string?, kind: string, name: string}
  extract = function(obj, ctx)
    local spec = obj.spec or {}
    local refs = {}
    if spec.credentialsSecretRef then
      refs[#refs + 1] = { relation = "credentials", kind = "Secret", name = spec.credentialsSecretRef.name,
                          path = "spec.credentialsSecretRef.name" }
    end
    if spec.statefulSetName then
      refs[#refs + 1] = { relation = "reconciles", kind = "StatefulSet", group = "apps", name = spec.statefulSetName,
                          path = "spec.statefulSetName" }
    end
    return refs
  end,
}

return true
