import Testing
@testable import StandbyCore
import StandbyTestSupport

@Suite("Selection: Kubernetes references")
struct SelectionKubeReferenceTests {
    static let podSpecYAML = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: pay}
        spec:
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec:
              serviceAccountName: api-sa
              priorityClassName: high
              imagePullSecrets: [{name: regcred}]
              initContainers:
              - name: init
                image: busybox
                envFrom: [{secretRef: {name: init-secret}}]
              containers:
              - name: main
                image: nginx
                envFrom: [{configMapRef: {name: api-config}}]
                env:
                - {name: A, valueFrom: {configMapKeyRef: {name: env-cm, key: a}}}
                - {name: B, valueFrom: {secretKeyRef: {name: env-secret, key: b}}}
                - {name: C, value: plain}
              volumes:
              - {name: v1, configMap: {name: vol-cm}}
              - {name: v2, secret: {secretName: vol-secret}}
              - {name: v3, persistentVolumeClaim: {claimName: data}}
              - name: v4
                projected:
                  sources:
                  - configMap: {name: proj-cm}
                  - secret: {name: proj-secret}
                  - serviceAccountToken: {path: token}
              - name: v5
                csi:
                  driver: secrets-store.csi.k8s.io
                  volumeAttributes: {secretProviderClass: spc}
                  nodePublishSecretRef: {name: creds}
        """

    static let targetsYAML = """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: api-sa, namespace: pay}
        ---
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata: {name: high}
        value: 1000
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: api-config, namespace: pay}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: env-cm, namespace: pay}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: vol-cm, namespace: pay}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: proj-cm, namespace: pay}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: regcred, namespace: pay}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: init-secret, namespace: pay}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: env-secret, namespace: pay}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: vol-secret, namespace: pay}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: proj-secret, namespace: pay}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: creds, namespace: pay}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: pay}
        spec: {}
        ---
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata: {name: spc, namespace: pay}
        spec: {provider: gcp}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: api-config, namespace: other}
        """

    @Test func podTemplateReferences() throws {
        let inv = try TestEstate.aks(Self.podSpecYAML, Self.targetsYAML).load()
        #expect(referenceLines(inv, k("apps/Deployment/pay/api")) == [
            "env → ConfigMap pay/env-cm",
            "env → Secret pay/env-secret",
            "envFrom → ConfigMap pay/api-config",
            "envFrom → Secret pay/init-secret",
            "imagePullSecret → Secret pay/regcred",
            "nodePublishSecretRef → Secret pay/creds",
            "priorityClass → PriorityClass high",
            "projected volume → ConfigMap pay/proj-cm",
            "projected volume → Secret pay/proj-secret",
            "secretProviderClass → SecretProviderClass pay/spc",
            "serviceAccount → ServiceAccount pay/api-sa",
            "volume → ConfigMap pay/vol-cm",
            "volume → PersistentVolumeClaim pay/data",
            "volume → Secret pay/vol-secret",
        ])
    }

    @Test func missingTargetsAreDanglingWithPaths() throws {
        let inv = try TestEstate.aks(Self.podSpecYAML).load()
        let s = select(SelectionRequest(roots: [k("apps/Deployment/pay/api")]), in: inv)
        #expect(s.ids == [k("apps/Deployment/pay/api")])
        let lines = s.dangling.map { "\($0.path) \($0.relation) \($0.target)" }
        #expect(lines == [
            "spec.template.spec.volumes[0].configMap.name volume ConfigMap pay/vol-cm",
            "spec.template.spec.volumes[1].secret.secretName volume Secret pay/vol-secret",
            "spec.template.spec.volumes[2].persistentVolumeClaim.claimName volume PersistentVolumeClaim pay/data",
            "spec.template.spec.volumes[3].projected.sources[0].configMap.name projected volume ConfigMap pay/proj-cm",
            "spec.template.spec.volumes[3].projected.sources[1].secret.name projected volume Secret pay/proj-secret",
            "spec.template.spec.volumes[4].csi.volumeAttributes.secretProviderClass secretProviderClass SecretProviderClass pay/spc",
            "spec.template.spec.volumes[4].csi.nodePublishSecretRef.name nodePublishSecretRef Secret pay/creds",
            "spec.template.spec.imagePullSecrets[0].name imagePullSecret Secret pay/regcred",
            "spec.template.spec.priorityClassName priorityClass PriorityClass high",
            "spec.template.spec.containers[0].envFrom[0].configMapRef.name envFrom ConfigMap pay/api-config",
            "spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef.name env ConfigMap pay/env-cm",
            "spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.name env Secret pay/env-secret",
            "spec.template.spec.initContainers[0].envFrom[0].secretRef.name envFrom Secret pay/init-secret",
            "spec.template.spec.serviceAccountName serviceAccount ServiceAccount pay/api-sa",
        ])
        #expect(s.dangling.allSatisfy { $0.from == k("apps/Deployment/pay/api") })
    }

    @Test func everyPodTemplateKind() throws {
        let spec = "spec: {containers: [{name: c, image: x, envFrom: [{configMapRef: {name: cm}}]}]}"
        let yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cm, namespace: ns}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: ns}
            \(spec)
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: cj, namespace: ns}
            spec:
              schedule: "* * * * *"
              jobTemplate:
                spec:
                  template:
                    \(spec)
            """ + ["StatefulSet", "DaemonSet", "ReplicaSet"].map { kind in """

            ---
            apiVersion: apps/v1
            kind: \(kind)
            metadata: {name: \(kind.lowercased()), namespace: ns}
            spec:
              template:
                \(spec)
            """ }.joined() + """

            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: job, namespace: ns}
            spec:
              template:
                \(spec)
            """
        let inv = try TestEstate.aks(yaml).load()
        for id in ["core/Pod/ns/p", "batch/CronJob/ns/cj", "apps/StatefulSet/ns/statefulset", "apps/DaemonSet/ns/daemonset",
                   "apps/ReplicaSet/ns/replicaset", "batch/Job/ns/job"] {
            #expect(referenceLines(inv, k(id)) == ["envFrom → ConfigMap ns/cm"], "\(id)")
        }
    }

    @Test func defaultServiceAccountOnlyWhenItExists() throws {
        let pod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: ns}
            spec: {containers: [{name: c, image: x}]}
            """
        let without = try TestEstate.aks(pod).load()
        #expect(referenceLines(without, k("core/Pod/ns/p")) == [])
        let s = select(SelectionRequest(roots: [k("core/Pod/ns/p")]), in: without)
        #expect(s.dangling.isEmpty)
        let with = try TestEstate.aks(pod, "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: ns}").load()
        #expect(referenceLines(with, k("core/Pod/ns/p")) == ["serviceAccount → ServiceAccount ns/default"])
    }

    @Test func statefulSetClaimTemplatesAndStorage() throws {
        let yaml = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db, namespace: ns}
            spec:
              replicas: 2
              template: {spec: {containers: [{name: c, image: x}]}}
              volumeClaimTemplates:
              - metadata: {name: data}
                spec: {storageClassName: premium}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data-db-0, namespace: ns}
            spec: {volumeName: pv-0, storageClassName: premium}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data-db-1, namespace: ns}
            spec: {volumeName: pv-1}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data-db-extra, namespace: ns}
            spec: {}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data-dbx-0, namespace: ns}
            spec: {}
            ---
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata: {name: premium}
            provisioner: disk.csi.azure.com
            ---
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: pv-0}
            spec:
              storageClassName: premium
              csi: {driver: disk.csi.azure.com, volumeHandle: "\(armID("Microsoft.Compute/disks/d0"))"}
            ---
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: pv-1}
            spec:
              azureDisk: {diskURI: "\(armID("Microsoft.Compute/disks/D1").uppercased())", diskName: d1}
            """
        let disks = "[\(arm("Microsoft.Compute/disks/d0")), \(arm("Microsoft.Compute/disks/d1"))]"
        let inv = try TestEstate.aks(yaml, azure: [disks]).load()
        #expect(referenceLines(inv, k("apps/StatefulSet/ns/db")) == [
            "storageClass → StorageClass premium",
            "volumeClaimTemplate → PersistentVolumeClaim ns/data-db-0",
            "volumeClaimTemplate → PersistentVolumeClaim ns/data-db-1",
        ])
        #expect(referenceLines(inv, k("core/PersistentVolumeClaim/ns/data-db-0")) == [
            "storageClass → StorageClass premium", "volumeName → PersistentVolume pv-0",
        ])
        #expect(referenceLines(inv, k("core/PersistentVolume/pv-0")) == ["Azure disk → disks d0", "storageClass → StorageClass premium"])
        #expect(referenceLines(inv, k("core/PersistentVolume/pv-1")) == ["Azure disk → disks d1"])
    }

    @Test func efsAndAzureFileVolumes() throws {
        let yaml = """
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: efs-a}
            spec: {csi: {driver: efs.csi.aws.com, volumeHandle: fs-e8a95a42}}
            ---
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: efs-b}
            spec: {csi: {driver: efs.csi.aws.com, volumeHandle: "fs-e8a95a42::fsap-0123"}}
            ---
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: efs-c}
            spec: {csi: {driver: efs.csi.aws.com, volumeHandle: "fs-e8a95a42:/exports"}}
            ---
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: efs-missing}
            spec: {csi: {driver: efs.csi.aws.com, volumeHandle: fs-00000000}}
            ---
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: share-attrs}
            spec:
              csi:
                driver: file.csi.azure.com
                volumeHandle: "rg#stfiles#share1"
                volumeAttributes: {resourceGroup: rg, storageAccount: stfiles, shareName: share1}
            ---
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: share-secret}
            spec:
              csi:
                driver: file.csi.azure.com
                volumeHandle: "unique-id"
                volumeAttributes: {shareName: share1}
                nodeStageSecretRef: {name: azure-secret, namespace: apps}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: azure-secret, namespace: apps}
            data: {azurestorageaccountname: c3RmaWxlcw==, azurestorageaccountkey: a2V5}
            """
        var e = TestEstate.aks(yaml, azure: ["[" + arm("Microsoft.Storage/storageAccounts/stfiles") + ","
                                             + arm("Microsoft.Storage/storageAccounts/stfiles/fileServices/default/shares/share1") + "]"])
        e.aws = [#"{"FileSystems": [{"FileSystemId": "fs-e8a95a42", "OwnerId": "111111111111", "Name": "shared"}]}"#]
        let inv = try e.load()
        #expect(referenceLines(inv, k("core/PersistentVolume/efs-b")) == [
            "EFS access point ✗ fsap-0123", "EFS file system → EFS::FileSystem shared",
        ])
        for pv in ["efs-a", "efs-c"] {
            #expect(referenceLines(inv, k("core/PersistentVolume/\(pv)")) == ["EFS file system → EFS::FileSystem shared"], "\(pv)")
        }
        #expect(referenceLines(inv, k("core/PersistentVolume/efs-missing")) == ["EFS file system ✗ fs-00000000"])
        #expect(referenceLines(inv, k("core/PersistentVolume/share-attrs")) == [
            "file share → shares share1", "storage account → storageAccounts stfiles",
        ])
        #expect(referenceLines(inv, k("core/PersistentVolume/share-secret")) == [
            "file share secret → Secret apps/azure-secret", "file share → shares share1", "storage account → storageAccounts stfiles",
        ])
    }

    @Test func secretProviderClassResolvesVaultByNameAndTenant() throws {
        let spc = """
            apiVersion: secrets-store.csi.x-k8s.io/v1
            kind: SecretProviderClass
            metadata: {name: azure-sync, namespace: ns}
            spec:
              provider: azure
              secretObjects: [{secretName: foosecret, type: Opaque}]
              parameters: {keyvaultName: kvname, tenantId: tid, userAssignedIdentityID: "cid-1"}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: foosecret, namespace: ns}
            """
        let vaults = "[" + [
            arm("Microsoft.KeyVault/vaults/kvname", properties: #"{"tenantId": "tid"}"#),
            arm("Microsoft.ManagedIdentity/userAssignedIdentities/id1", properties: #"{"clientId": "CID-1"}"#),
        ].joined(separator: ",") + "]"
        let inv = try TestEstate.aks(spc, azure: [vaults]).load()
        // No CRD in the inventory: the definition reference is optional (add-ons install their CRDs).
        #expect(referenceLines(inv, k("secrets-store.csi.x-k8s.io/SecretProviderClass/ns/azure-sync")) == [
            "identity → userAssignedIdentities id1",
            "key vault → vaults kvname",
            "secretObjects → Secret ns/foosecret",
        ])
        let otherTenant = "[" + arm("Microsoft.KeyVault/vaults/kvname", properties: #"{"tenantId": "someone-else"}"#) + "]"
        let inv2 = try TestEstate.aks(spc, azure: [otherTenant]).load()
        #expect(referenceLines(inv2, k("secrets-store.csi.x-k8s.io/SecretProviderClass/ns/azure-sync")) == [
            "identity ✗ cid-1",
            "key vault ✗ key vault kvname (tenant tid)",
            "secretObjects → Secret ns/foosecret",
        ])
    }

    @Test func ingressBackendsClassAndTLS() throws {
        let yaml = """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web, namespace: ns}
            spec:
              ingressClassName: nginx
              defaultBackend: {service: {name: fallback, port: {number: 80}}}
              tls: [{hosts: [a.example.com], secretName: web-tls}]
              rules:
              - http:
                  paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                  - {path: /r, pathType: Prefix, backend: {service: {name: redirect, port: {name: use-annotation}}}}
            ---
            apiVersion: extensions/v1beta1
            kind: Ingress
            metadata:
              name: legacy
              namespace: ns
              annotations: {kubernetes.io/ingress.class: nginx}
            spec:
              backend: {serviceName: fallback, servicePort: 80}
              rules:
              - http:
                  paths:
                  - {path: /, backend: {serviceName: redirect, servicePort: use-annotation}}
                  - {path: /x, backend: {serviceName: web, servicePort: 80}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata: {name: nginx}
            spec: {controller: k8s.io/ingress-nginx}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: ns}
            spec: {ports: [{port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: fallback, namespace: ns}
            spec: {ports: [{port: 80}]}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: web-tls, namespace: ns}
            type: kubernetes.io/tls
            """
        let inv = try TestEstate.aks(yaml).load()
        #expect(referenceLines(inv, k("networking.k8s.io/Ingress/ns/web")) == [
            "backend → Service ns/web",
            "default backend → Service ns/fallback",
            "ingressClass → IngressClass nginx",
            "tls → Secret ns/web-tls",
        ])
        #expect(referenceLines(inv, k("extensions/Ingress/ns/legacy")) == [
            "backend → Service ns/web",
            "default backend → Service ns/fallback",
            "ingressClass → IngressClass nginx",
        ])
    }

    @Test func serviceSelectsUnownedWorkloads() throws {
        let yaml = """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: ns}
            spec: {selector: {app: web, tier: front}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: ns}
            spec: {template: {metadata: {labels: {app: web, tier: front, extra: x}}, spec: {containers: [{name: c, image: x}]}}}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: web-db, namespace: ns}
            spec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: x}]}}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: bare, namespace: ns, labels: {app: web, tier: front}}
            spec: {containers: [{name: c, image: x}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-abc
              namespace: ns
              labels: {app: web, tier: front}
              ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d, uid: u1}]
            spec: {containers: [{name: c, image: x}]}
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: web, namespace: other}
            spec: {template: {metadata: {labels: {app: web, tier: front}}, spec: {containers: [{name: c, image: x}]}}}
            """
        let inv = try TestEstate.aks(yaml).load()
        #expect(referenceLines(inv, k("core/Service/ns/web")) == ["selects → Deployment ns/web", "selects → Pod ns/bare"])
    }

    @Test func rbacBindingsAndServiceAccountIdentities() throws {
        let yaml = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: rb, namespace: ns}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
            subjects:
            - {kind: ServiceAccount, name: app}
            - {kind: ServiceAccount, name: other, namespace: ns2}
            - {kind: User, name: alice}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: crb}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects: [{kind: ServiceAccount, name: app, namespace: ns}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: reader, namespace: ns}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: view}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: app
              namespace: ns
              annotations:
                eks.amazonaws.com/role-arn: arn:aws:iam::111111111111:role/app-role
                azure.workload.identity/client-id: 22222222-0000-0000-0000-000000000000
            imagePullSecrets: [{name: pull}]
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: other, namespace: ns2}
            """
        var e = TestEstate.aks(yaml, azure: ["[" + arm("Microsoft.ManagedIdentity/userAssignedIdentities/wi",
                                                       properties: #"{"clientId": "22222222-0000-0000-0000-000000000000"}"#) + "]"])
        e.aws = [#"{"Roles": [{"RoleName": "app-role", "Arn": "arn:aws:iam::111111111111:role/app-role"}]}"#]
        let inv = try e.load()
        #expect(referenceLines(inv, k("rbac.authorization.k8s.io/RoleBinding/ns/rb")) == [
            "roleRef → Role ns/reader", "subject → ServiceAccount ns/app", "subject → ServiceAccount ns2/other",
        ])
        #expect(referenceLines(inv, k("rbac.authorization.k8s.io/ClusterRoleBinding/crb")) == [
            "roleRef → ClusterRole view", "subject → ServiceAccount ns/app",
        ])
        #expect(referenceLines(inv, k("core/ServiceAccount/ns/app")) == [
            "IRSA role → IAM::Role app-role",
            "bound by → ClusterRoleBinding crb",
            "bound by → RoleBinding ns/rb",
            "imagePullSecret ✗ Secret ns/pull",
            "workload identity → userAssignedIdentities wi",
        ])
    }

    @Test func autoscalersTargetsAndReverse() throws {
        let yaml = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: hpa, namespace: ns}
            spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}}
            ---
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: so, namespace: ns}
            spec:
              scaleTargetRef: {name: worker}
              triggers:
              - type: azure-servicebus
                authenticationRef: {name: sb-auth}
              - type: cron
                metadata: {}
            ---
            apiVersion: keda.sh/v1alpha1
            kind: TriggerAuthentication
            metadata: {name: sb-auth, namespace: ns}
            spec: {secretTargetRef: [{parameter: connection, name: sb-secret, key: conn}]}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: sb-secret, namespace: ns}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: ns}
            spec: {template: {spec: {containers: [{name: c, image: x}]}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: worker, namespace: ns}
            spec: {template: {spec: {containers: [{name: c, image: x}]}}}
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: scaledobjects.keda.sh}
            spec: {group: keda.sh, names: {kind: ScaledObject, plural: scaledobjects}, scope: Namespaced}
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: triggerauthentications.keda.sh}
            spec: {group: keda.sh, names: {kind: TriggerAuthentication, plural: triggerauthentications}, scope: Namespaced}
            """
        let inv = try TestEstate.aks(yaml).load()
        #expect(referenceLines(inv, k("autoscaling/HorizontalPodAutoscaler/ns/hpa")) == ["scaleTargetRef → Deployment ns/api"])
        #expect(referenceLines(inv, k("keda.sh/ScaledObject/ns/so")) == [
            "authenticationRef → TriggerAuthentication ns/sb-auth",
            "definition → CustomResourceDefinition scaledobjects.keda.sh",
            "scaleTargetRef → Deployment ns/worker",
        ])
        #expect(referenceLines(inv, k("keda.sh/TriggerAuthentication/ns/sb-auth")) == [
            "definition → CustomResourceDefinition triggerauthentications.keda.sh",
            "secretTargetRef → Secret ns/sb-secret",
        ])
        #expect(referenceLines(inv, k("apps/Deployment/ns/api")) == ["scaled by → HorizontalPodAutoscaler ns/hpa"])
        #expect(referenceLines(inv, k("apps/Deployment/ns/worker")) == ["scaled by → ScaledObject ns/so"])
    }

    @Test func workloadsPullInPoliciesThatSelectThem() throws {
        let yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: ns}
            spec: {template: {metadata: {labels: {app: api, tier: web}}, spec: {containers: [{name: c, image: x}]}}}
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: api-pdb, namespace: ns}
            spec: {minAvailable: 1, selector: {matchLabels: {app: api}}}
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: other-pdb, namespace: ns}
            spec: {selector: {matchLabels: {app: other}}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-all, namespace: ns}
            spec: {podSelector: {}, policyTypes: [Ingress]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web-only, namespace: ns}
            spec:
              podSelector:
                matchExpressions: [{key: tier, operator: In, values: [web, edge]}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: elsewhere, namespace: other}
            spec: {podSelector: {}}
            """
        let inv = try TestEstate.aks(yaml).load()
        #expect(referenceLines(inv, k("apps/Deployment/ns/api")) == [
            "disruption budget → PodDisruptionBudget ns/api-pdb",
            "network policy → NetworkPolicy ns/deny-all",
            "network policy → NetworkPolicy ns/web-only",
        ])
        #expect(referenceLines(inv, k("policy/PodDisruptionBudget/ns/api-pdb")) == [])
    }

    @Test func ownerReferencesAndCustomResourceDefinitions() throws {
        let yaml = """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: api-5d
              namespace: ns
              ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: api, uid: u, controller: true}]
            spec: {template: {spec: {containers: [{name: c, image: x}]}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: ns}
            spec: {template: {spec: {containers: [{name: c, image: x}]}}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: orphan
              namespace: ns
              ownerReferences: [{apiVersion: samplecontroller.k8s.io/v1alpha1, kind: SessionJob, name: gone, uid: u2}]
            """
        let crd = try #require(try Fixtures.text("k8s/crd-sessionjobs.yaml"))
        let cr = try #require(try Fixtures.text("k8s/cr-example-sessionjob.yaml"))
        let inv = try TestEstate.aks(yaml, crd, cr).load()
        #expect(referenceLines(inv, k("apps/ReplicaSet/ns/api-5d")) == ["owner → Deployment ns/api"])
        #expect(referenceLines(inv, k("core/ConfigMap/ns/orphan")) == ["owner ✗ SessionJob ns/gone"])
        #expect(referenceLines(inv, k("samplecontroller.k8s.io/SessionJob/default/example-sessionjob")) == [
            "definition → CustomResourceDefinition sessionjobs.samplecontroller.k8s.io",
        ])
        // Without its CRD the loader cannot know SessionJob is namespaced: the object has no namespace.
        let noCRD = try TestEstate.aks(cr).load()
        // …and a missing definition is not dangling (optional).
        #expect(referenceLines(noCRD, k("samplecontroller.k8s.io/SessionJob/example-sessionjob")) == [])
    }

    @Test func awsAuthMapRolesAndFixturePlaceholder() throws {
        let yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: aws-auth, namespace: kube-system}
            data:
              mapRoles: |
                - rolearn: arn:aws:iam::111111111111:role/node-role
                  username: system:node:{{EC2PrivateDNSName}}
                  groups: [system:bootstrappers, system:nodes]
                - rolearn: arn:aws:iam::111111111111:role/admins
                  username: admin
            """
        var e = TestEstate()
        e.aws = [#"{"Roles": [{"RoleName": "node-role", "Arn": "arn:aws:iam::111111111111:role/node-role"}]}"#]
        e.clusters = [.init(name: "eks1", cloud: "aws", id: nil, kubernetes: [yaml])]
        let inv = try e.load()
        #expect(referenceLines(inv, k("core/ConfigMap/kube-system/aws-auth", cluster: "eks1")) == [
            "aws-auth role → IAM::Role node-role",
            "aws-auth role ✗ arn:aws:iam::111111111111:role/admins",
        ])
        let fixture = try #require(try Fixtures.text("k8s/aws-auth-configmap.yaml"))
        let inv2 = try TestEstate.aks(fixture).load()
        #expect(referenceLines(inv2, k("core/ConfigMap/kube-system/aws-auth")) == ["aws-auth role ✗ ${role_arn}"])
    }

    @Test func ecrImagesResolveToRepositories() throws {
        let yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: ns}
            spec:
              containers:
              - {name: a, image: "111111111111.dkr.ecr.us-east-1.amazonaws.com/team/app:1.2"}
              - {name: b, image: "111111111111.dkr.ecr.us-east-1.amazonaws.com/team/gone@sha256:abc"}
              - {name: c, image: "222222222222.dkr.ecr.us-east-1.amazonaws.com/vendor/tool:3"}
              - {name: d, image: "docker.io/library/nginx:1"}
            """
        var e = TestEstate()
        e.aws = [#"{"repositories": [{"repositoryName": "team/app", "repositoryArn": "arn:aws:ecr:us-east-1:111111111111:repository/team/app", "repositoryUri": "111111111111.dkr.ecr.us-east-1.amazonaws.com/team/app"}]}"#]
        e.clusters = [.init(name: "eks1", cloud: "aws", id: nil, kubernetes: [yaml])]
        let inv = try e.load()
        #expect(referenceLines(inv, k("core/Pod/ns/p", cluster: "eks1")) == [
            "image repository → ECR::Repository team/app",
            "image repository ✗ arn:aws:ecr:us-east-1:111111111111:repository/team/gone",
        ])
    }

    @Test func webhooksPointAtTheirServices() throws {
        let yaml = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingWebhookConfiguration
            metadata: {name: cert-manager-webhook}
            webhooks:
            - name: webhook.cert-manager.io
              clientConfig: {service: {name: cert-manager-webhook, namespace: cert-manager, path: /validate}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: cert-manager-webhook, namespace: cert-manager}
            spec: {selector: {app: webhook}}
            """
        let inv = try TestEstate.aks(yaml).load()
        #expect(referenceLines(inv, k("admissionregistration.k8s.io/ValidatingWebhookConfiguration/cert-manager-webhook")) == [
            "webhook service → Service cert-manager/cert-manager-webhook",
        ])
    }

    @Test func luaStyleCustomExtractor() throws {
        let yaml = """
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: w, namespace: ns}
            spec: {configRef: cfg, vault: "\(armID("Microsoft.KeyVault/vaults/kv1"))"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cfg, namespace: ns}
            """
        let inv = try TestEstate.aks(yaml, azure: ["[" + arm("Microsoft.KeyVault/vaults/kv1") + "]"]).load()
        var registry = ReferenceExtractorRegistry.builtIn
        registry.register(kind: "Widget", group: "example.com", name: "lua: Widget") { r, _ in
            var out: [Reference] = []
            if let cfg = r.document[path: [.key("spec"), .key("configRef")]]?.stringValue {
                out.append(Reference(relation: "config", path: "spec.configRef",
                                     target: .kube(KubeTarget(kind: "ConfigMap", namespace: r.namespace, name: cfg))))
            }
            if let v = r.document[path: [.key("spec"), .key("vault")]]?.stringValue {
                out.append(Reference(relation: "vault", path: "spec.vault", target: .id(v)))
            }
            return out
        }
        #expect(referenceLines(inv, k("example.com/Widget/ns/w"), extractors: registry) == [
            "config → ConfigMap ns/cfg",
            "vault → vaults kv1",
        ])
    }
}
