"""serverless-domain-manager (10.3.1): it manages custom domains with API calls, outside the stack,
so it has no template effect; ``sls-cdk domain create|delete`` does what its ``sls create_domain``
and ``sls delete_domain`` do (:mod:`.aws`), from its validated keys (:mod:`.model`)."""

from constructs_lib.plugins.domain_manager.aws import Account, create_domain, delete_domain
from constructs_lib.plugins.domain_manager.model import Domain, domains

__all__ = ["Account", "Domain", "create_domain", "delete_domain", "domains"]
