import json,sys,collections
for f in sys.argv[1:]:
    d=json.load(open(f)); ev=d['traceEvents'] if isinstance(d,dict) else d
    ev=[e for e in ev if e.get('ph')=='X']
    # self time: compute per thread nesting
    ev.sort(key=lambda e:(e.get('tid'),e['ts'],-e['dur']))
    selft=collections.Counter(); cnt=collections.Counter(); tot=collections.Counter()
    stack=[]
    for e in ev:
        while stack and stack[-1]['ts']+stack[-1]['dur']<=e['ts']: stack.pop()
        if stack: selft[stack[-1]['name']]-=e['dur'] if stack[-1]['ts']+stack[-1]['dur']>=e['ts']+e['dur'] else 0
        selft[e['name']]+=e['dur']; cnt[e['name']]+=1
        if not stack: tot['toplevel']+=e['dur']
        stack.append(e)
    print(f, 'top-level op time per step (ms): %.3f'%(tot['toplevel']/20/1000), 'events/step', sum(cnt.values())/20)
    for n,t in selft.most_common(25): print('  %-40s %8.3f ms/step  %6.1f calls/step'%(n,t/20/1000,cnt[n]/20))
