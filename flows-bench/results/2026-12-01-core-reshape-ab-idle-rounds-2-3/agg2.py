import json,sys,collections
f=sys.argv[1]; name=sys.argv[2]
d=json.load(open(f)); ev=d['traceEvents'] if isinstance(d,dict) else d
ev=[e for e in ev if e.get('ph')=='X']
ev.sort(key=lambda e:(e.get('tid'),e['ts'],-e['dur']))
stack=[]; ctx=collections.Counter(); n=collections.Counter()
for e in ev:
    while stack and stack[-1]['ts']+stack[-1]['dur']<=e['ts']: stack.pop()
    if e['name']==name:
        parent=next((s['name'] for s in reversed(stack) if 'evaluate_function' in s['name'] or s['name'].endswith('Backward0')), 'forward')
        top=stack[0]['name'] if stack else '-'
        k=(parent, top)
        ctx[k]+=e['dur']; n[k]+=1
    stack.append(e)
for k,t in ctx.most_common(): print('%-70s %-30s %.3f ms/step %.1f/step'%(k[0][:70],k[1][:30],t/20/1000,n[k]/20))
